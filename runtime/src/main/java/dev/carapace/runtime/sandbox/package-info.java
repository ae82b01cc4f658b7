/**
 * The sandboxer daemon: {@link dev.carapace.runtime.sandbox.Sandboxer} owns many microVMs in one
 * JVM (create, start, stop, delete, list, console, development quotes);
 * {@link dev.carapace.runtime.sandbox.SandboxDaemon} serves it over a local Unix-domain socket
 * with newline-delimited JSON ({@code runtime/README.md}, "Sandboxer daemon"), and
 * {@link dev.carapace.runtime.sandbox.SandboxClient} talks to it. No native code here: the socket
 * is the JDK's {@code UnixDomainSocketAddress}.
 */
@NullMarked
package dev.carapace.runtime.sandbox;

import org.jspecify.annotations.NullMarked;
