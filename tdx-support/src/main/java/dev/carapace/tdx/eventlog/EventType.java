package dev.carapace.tdx.eventlog;

import java.util.Map;
import java.util.Optional;

/**
 * A TCG event type (u32), with the name the TCG PC Client Platform Firmware Profile gives it
 * when it is a well-known one. Any u32 value is a valid type; unknown ones simply have no name.
 * Immutable.
 *
 * @param value the raw u32 event type
 */
public record EventType(long value) {
  public static final EventType EV_NO_ACTION = new EventType(0x3);
  public static final EventType EV_SEPARATOR = new EventType(0x4);
  public static final EventType EV_EVENT_TAG = new EventType(0x6);
  public static final EventType EV_PLATFORM_CONFIG_FLAGS = new EventType(0xA);
  public static final EventType EV_IPL = new EventType(0xD);
  public static final EventType EV_EFI_VARIABLE_DRIVER_CONFIG = new EventType(0x8000_0001L);
  public static final EventType EV_EFI_VARIABLE_BOOT = new EventType(0x8000_0002L);
  public static final EventType EV_EFI_BOOT_SERVICES_APPLICATION = new EventType(0x8000_0003L);
  public static final EventType EV_EFI_ACTION = new EventType(0x8000_0007L);
  public static final EventType EV_EFI_PLATFORM_FIRMWARE_BLOB2 = new EventType(0x8000_000AL);
  public static final EventType EV_EFI_HANDOFF_TABLES2 = new EventType(0x8000_000BL);

  private static final Map<Long, String> NAMES = Map.ofEntries(
      Map.entry(0x0L, "EV_PREBOOT_CERT"),
      Map.entry(0x1L, "EV_POST_CODE"),
      Map.entry(0x2L, "EV_UNUSED"),
      Map.entry(0x3L, "EV_NO_ACTION"),
      Map.entry(0x4L, "EV_SEPARATOR"),
      Map.entry(0x5L, "EV_ACTION"),
      Map.entry(0x6L, "EV_EVENT_TAG"),
      Map.entry(0x7L, "EV_S_CRTM_CONTENTS"),
      Map.entry(0x8L, "EV_S_CRTM_VERSION"),
      Map.entry(0x9L, "EV_CPU_MICROCODE"),
      Map.entry(0xAL, "EV_PLATFORM_CONFIG_FLAGS"),
      Map.entry(0xBL, "EV_TABLE_OF_DEVICES"),
      Map.entry(0xCL, "EV_COMPACT_HASH"),
      Map.entry(0xDL, "EV_IPL"),
      Map.entry(0xEL, "EV_IPL_PARTITION_DATA"),
      Map.entry(0xFL, "EV_NONHOST_CODE"),
      Map.entry(0x10L, "EV_NONHOST_CONFIG"),
      Map.entry(0x11L, "EV_NONHOST_INFO"),
      Map.entry(0x12L, "EV_OMIT_BOOT_DEVICE_EVENTS"),
      Map.entry(0x13L, "EV_POST_CODE2"),
      Map.entry(0x8000_0000L, "EV_EFI_EVENT_BASE"),
      Map.entry(0x8000_0001L, "EV_EFI_VARIABLE_DRIVER_CONFIG"),
      Map.entry(0x8000_0002L, "EV_EFI_VARIABLE_BOOT"),
      Map.entry(0x8000_0003L, "EV_EFI_BOOT_SERVICES_APPLICATION"),
      Map.entry(0x8000_0004L, "EV_EFI_BOOT_SERVICES_DRIVER"),
      Map.entry(0x8000_0005L, "EV_EFI_RUNTIME_SERVICES_DRIVER"),
      Map.entry(0x8000_0006L, "EV_EFI_GPT_EVENT"),
      Map.entry(0x8000_0007L, "EV_EFI_ACTION"),
      Map.entry(0x8000_0008L, "EV_EFI_PLATFORM_FIRMWARE_BLOB"),
      Map.entry(0x8000_0009L, "EV_EFI_HANDOFF_TABLES"),
      Map.entry(0x8000_000AL, "EV_EFI_PLATFORM_FIRMWARE_BLOB2"),
      Map.entry(0x8000_000BL, "EV_EFI_HANDOFF_TABLES2"),
      Map.entry(0x8000_000CL, "EV_EFI_VARIABLE_BOOT2"),
      Map.entry(0x8000_000DL, "EV_EFI_GPT_EVENT2"),
      Map.entry(0x8000_0010L, "EV_EFI_HCRTM_EVENT"),
      Map.entry(0x8000_00E0L, "EV_EFI_VARIABLE_AUTHORITY"),
      Map.entry(0x8000_00E1L, "EV_EFI_SPDM_FIRMWARE_BLOB"),
      Map.entry(0x8000_00E2L, "EV_EFI_SPDM_FIRMWARE_CONFIG"),
      Map.entry(0x8000_00E3L, "EV_EFI_SPDM_DEVICE_POLICY"),
      Map.entry(0x8000_00E4L, "EV_EFI_SPDM_DEVICE_AUTHORITY"));

  public EventType {
    if (value < 0 || value > 0xffff_ffffL) {
      throw new IllegalArgumentException("event type must fit in 32 bits, got " + value);
    }
  }

  /** The TCG name ("EV_SEPARATOR", ...) of a well-known type; empty otherwise. */
  public Optional<String> knownName() {
    return Optional.ofNullable(NAMES.get(value));
  }

  /** The TCG name if known, otherwise "0x" and eight hex digits. Never empty. */
  public String name() {
    String name = NAMES.get(value);
    return name != null ? name : String.format("0x%08x", value);
  }

  @Override
  public String toString() {
    return name();
  }
}
