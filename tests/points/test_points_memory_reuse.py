"""A run's freed buffers are used again (symgrad.points.memory), counted in page faults."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

PROBE = """
import resource, sys
from symgrad.points.memory import keep_freed_memory
kept = keep_freed_memory() if sys.argv[1] == "keep" else None
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(30):
    block = bytearray(40 * 2**20)  # zeroed: every page is touched
    del block
print(kept, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def faults(mode: str) -> tuple[str, int]:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
    kept, count = out.stdout.split()
    return kept, int(count)


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="glibc's malloc only")
def test_freed_buffers_are_reused_rather_than_mapped_again():
    # 40 MiB is above glibc's largest automatic mmap threshold (32 MiB): by
    # default each buffer is a new mapping, 10,240 new pages each time
    kept, reused = faults("keep")
    _, mapped = faults("default")
    assert kept == "True"
    assert mapped > 30 * 10_000
    assert reused < mapped / 10
