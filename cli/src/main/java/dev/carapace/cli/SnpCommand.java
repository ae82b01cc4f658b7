package dev.carapace.cli;

import picocli.CommandLine.Command;

/** {@code carapace snp}: AMD SEV-SNP evidence tools. */
@Command(
    name = "snp",
    mixinStandardHelpOptions = true,
    description = "AMD SEV-SNP evidence: verify reports, compute launch digests, simulate a development guest.",
    subcommands = {SnpVerifyCommand.class, SnpMeasureCommand.class, SnpSimulateCommand.class})
final class SnpCommand {}
