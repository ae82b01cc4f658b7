package dev.carapace.runtime.vmm;

import dev.carapace.attestation.model.Bytes;
import java.io.ByteArrayOutputStream;

/** A tiny x86 assembler for test guests: just the instructions the tests use. */
final class GuestCode {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  GuestCode movAl(int imm8) {
    return bytes(0xb0, imm8);
  }

  GuestCode outAl(int port8) {
    return bytes(0xe6, port8);
  }

  GuestCode inAl(int port8) {
    return bytes(0xe4, port8);
  }

  /** 32-bit mode: mov eax, [abs32]. */
  GuestCode movEaxFromAbs(long address) {
    bytes(0xa1);
    return imm32(address);
  }

  /** 32-bit mode: mov [abs32], eax. */
  GuestCode movAbsFromEax(long address) {
    bytes(0xa3);
    return imm32(address);
  }

  /** 32-bit mode: mov eax, imm32. */
  GuestCode movEax(long imm32) {
    bytes(0xb8);
    return imm32(imm32);
  }

  /** 32-bit mode: inc dword [abs32]. */
  GuestCode incAbs(long address) {
    bytes(0xff, 0x05);
    return imm32(address);
  }

  /** jmp rel8 back to {@code target} (an offset in this code). */
  GuestCode jmpTo(int target) {
    int rel = target - (out.size() + 2);
    return bytes(0xeb, rel & 0xff);
  }

  GuestCode hlt() {
    return bytes(0xf4);
  }

  GuestCode cli() {
    return bytes(0xfa);
  }

  GuestCode ud2() {
    return bytes(0x0f, 0x0b);
  }

  int position() {
    return out.size();
  }

  GuestCode bytes(int... bs) {
    for (int b : bs) {
      out.write(b);
    }
    return this;
  }

  private GuestCode imm32(long v) {
    return bytes((int) v & 0xff, (int) (v >> 8) & 0xff, (int) (v >> 16) & 0xff,
        (int) (v >> 24) & 0xff);
  }

  Bytes build() {
    return Bytes.copyOf(out.toByteArray());
  }
}
