package dev.carapace.cli;

import picocli.CommandLine.Command;

/** {@code carapace kernel}: Linux kernel image tools. */
@Command(
    name = "kernel",
    mixinStandardHelpOptions = true,
    description = "Linux kernel images: extract the vmlinux ELF from a bzImage.",
    subcommands = {KernelExtractCommand.class})
final class KernelCommand {}
