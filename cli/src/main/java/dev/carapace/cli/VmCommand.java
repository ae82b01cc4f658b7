package dev.carapace.cli;

import picocli.CommandLine.Command;

/** {@code carapace vm}: run microVMs on this host's KVM. */
@Command(
    name = "vm",
    mixinStandardHelpOptions = true,
    description = "MicroVMs on KVM: boot a Linux kernel with the Carapace VMM.",
    subcommands = {VmRunCommand.class})
final class VmCommand {}
