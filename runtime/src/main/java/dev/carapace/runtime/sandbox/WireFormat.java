package dev.carapace.runtime.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.runtime.vmm.VmOutcome;
import dev.carapace.tdx.measure.TdMeasurements;

/** The JSON form of responses (the one place that knows it, besides {@link RequestParser}). */
final class WireFormat {
  private final ObjectMapper mapper;

  WireFormat(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  ObjectNode result(JsonNode value) {
    ObjectNode n = mapper.createObjectNode();
    n.set("result", value);
    return n;
  }

  ObjectNode error(SandboxException.Reason reason, String message) {
    ObjectNode n = mapper.createObjectNode();
    ObjectNode e = n.putObject("error");
    e.put("reason", reason.name());
    e.put("message", message);
    return n;
  }

  ObjectNode info(SandboxInfo i) {
    ObjectNode n = mapper.createObjectNode();
    n.put("name", i.name());
    n.put("state", i.state().name());
    n.put("vcpus", i.vcpus());
    n.put("memory", i.memory());
    VmOutcome o = i.outcome();
    if (o != null) {
      ObjectNode on = n.putObject("outcome");
      on.put("cause", o.cause().name());
      on.put("vcpu", o.vcpu());
      on.put("detail", o.detail());
    }
    TdMeasurements m = i.measurements();
    if (m != null) {
      n.set("measurements", measurements(m));
    }
    return n;
  }

  ObjectNode measurements(TdMeasurements m) {
    ObjectNode n = mapper.createObjectNode();
    n.put("mrtd", m.mrTd().toHex());
    for (int r = 0; r < 4; r++) {
      n.put("rtmr" + r, m.rtmr(r).toHex());
    }
    return n;
  }

  String line(JsonNode n) {
    try {
      return mapper.writeValueAsString(n) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
