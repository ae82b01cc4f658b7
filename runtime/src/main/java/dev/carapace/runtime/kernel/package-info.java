/**
 * Linux x86-64 kernel images: uncompressed vmlinux ELF files
 * ({@link dev.carapace.runtime.kernel.ElfKernel}), bzImages and their setup header
 * ({@link dev.carapace.runtime.kernel.BzImage}, {@link dev.carapace.runtime.kernel.SetupHeader}),
 * and recovery of the vmlinux from a bzImage's compressed payload
 * ({@link dev.carapace.runtime.kernel.VmlinuxExtractor}). Parsers copy their input, bound every
 * size and report bad input as {@link dev.carapace.runtime.kernel.KernelFormatException} with a
 * reason. No file system access except {@link dev.carapace.runtime.kernel.KernelImage#read}, no
 * global state.
 */
@NullMarked
package dev.carapace.runtime.kernel;

import org.jspecify.annotations.NullMarked;
