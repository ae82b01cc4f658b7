package dev.carapace.cli;

import picocli.CommandLine.Command;

/** {@code carapace snp}: AMD SEV-SNP evidence tools. */
@Command(
    name = "snp",
    mixinStandardHelpOptions = true,
    description = "AMD SEV-SNP evidence: compute launch digests.",
    subcommands = {SnpMeasureCommand.class})
final class SnpCommand {}
