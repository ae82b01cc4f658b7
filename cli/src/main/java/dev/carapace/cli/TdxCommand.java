package dev.carapace.cli;

import picocli.CommandLine.Command;

/** {@code carapace tdx}: Intel TDX evidence tools. */
@Command(
    name = "tdx",
    mixinStandardHelpOptions = true,
    description = "Intel TDX evidence: verify quotes, replay event logs, simulate a development TD.",
    subcommands = {TdxVerifyCommand.class, TdxReplayCommand.class, TdxSimulateCommand.class})
final class TdxCommand {}
