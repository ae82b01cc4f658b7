#!/usr/bin/env bash
# Downloads Debian's cloud kernel (a bzImage) for the runtime's real-kernel tests and prints its
# path. Idempotent: a kernel already in the cache is reused. Needs apt-get and dpkg-deb, not root
# (apt-get download writes to the current directory; 'apt-get update' may be needed once on a
# fresh machine for apt-cache to know the package).
#
#   runtime/scripts/fetch-debian-kernel.sh            # prints e.g. ~/.cache/carapace/kernel/vmlinuz-6.1.0-56-cloud-amd64
#   CARAPACE_KERNEL_DIR=/some/dir runtime/scripts/fetch-debian-kernel.sh
#
# Tests find the kernel through the same CARAPACE_KERNEL_DIR (default below) and skip with a
# message when none is there.
set -euo pipefail

dir="${CARAPACE_KERNEL_DIR:-$HOME/.cache/carapace/kernel}"
mkdir -p "$dir"

existing=$(find "$dir" -maxdepth 1 -name 'vmlinuz-*' -type f -size +1M 2>/dev/null | sort | tail -n 1)
if [[ -n "$existing" ]]; then
  echo "$existing"
  exit 0
fi

# linux-image-cloud-amd64 is a metapackage; the kernel is in the versioned package it depends on.
pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null \
  | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
if [[ -z "$pkg" ]]; then
  echo "fetch-debian-kernel: apt-cache knows no linux-image-cloud-amd64 (run 'apt-get update' first?)" >&2
  exit 3
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q "$pkg" >&2)
deb=$(find "$work" -maxdepth 1 -name '*.deb' | head -n 1)
dpkg-deb -x "$deb" "$work/root"
src=$(find "$work/root/boot" -maxdepth 1 -name 'vmlinuz-*' -type f | head -n 1)
if [[ -z "$src" ]]; then
  echo "fetch-debian-kernel: $pkg has no /boot/vmlinuz-*" >&2
  exit 3
fi
name=$(basename "$src")
# Write under a temporary name first so that an interrupted run leaves no partial kernel.
cp "$src" "$dir/.$name.part"
mv "$dir/.$name.part" "$dir/$name"
echo "$dir/$name"
