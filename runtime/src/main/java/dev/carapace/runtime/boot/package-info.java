/**
 * Linux direct boot on x86-64 and its measurement. {@link dev.carapace.runtime.boot.LinuxBoot}
 * writes a kernel, initrd, command line and the boot data (zero page, e820 map, GDT, page tables,
 * MP table) into {@link dev.carapace.runtime.memory.GuestMemory} as Firecracker lays them out and
 * returns the {@link dev.carapace.runtime.boot.BootSetup} the VMM applies to vCPU 0;
 * {@link dev.carapace.runtime.boot.LaunchMeasurement} computes the development TEE's MRTD and
 * RTMRs from that layout. No JNA, no KVM, no global state: the same code runs in the VMM and in
 * offline tools.
 */
@NullMarked
package dev.carapace.runtime.boot;

import org.jspecify.annotations.NullMarked;
