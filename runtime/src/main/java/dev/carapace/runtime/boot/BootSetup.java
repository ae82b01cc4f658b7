package dev.carapace.runtime.boot;

import java.util.List;

/**
 * What the boot loader produced after writing a kernel and its boot data into guest memory: the
 * boot vCPU's registers, the e820 map it described to the guest, and the regions it filled.
 */
public record BootSetup(BootCpuState bootCpu, List<E820Entry> e820, List<LoadedRegion> regions) {
  public BootSetup {
    e820 = List.copyOf(e820);
    regions = List.copyOf(regions);
  }
}
