/**
 * The device model: {@link dev.carapace.runtime.devices.Bus} (port I/O and MMIO address spaces),
 * legacy devices ({@link dev.carapace.runtime.devices.Serial8250}, {@link
 * dev.carapace.runtime.devices.I8042}, {@link dev.carapace.runtime.devices.CmosRtc}, {@link
 * dev.carapace.runtime.devices.IgnoredPorts}) and the plug-in point for virtio-mmio devices
 * ({@link dev.carapace.runtime.devices.MmioDevice}, {@link
 * dev.carapace.runtime.devices.InterruptLine}). Knows nothing about KVM.
 */
@NullMarked
package dev.carapace.runtime.devices;

import org.jspecify.annotations.NullMarked;
