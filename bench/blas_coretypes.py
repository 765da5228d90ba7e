"""Which OPENBLAS_CORETYPE settings PyTorch's reference runs can try on this CPU.

The fair reference tries OpenBLAS's kernels as installed, unset and SkylakeX and keeps the fastest
(DESIGN.md). SkylakeX's kernels are AVX-512: forced on a CPU without it (a VM that hides AVX-512
included) PyTorch dies of SIGILL, so there the setting is left out, and the scripts say so.
"""


def cpu_has_avx512():
    try:
        with open("/proc/cpuinfo") as f:
            return any(line.startswith("flags") and " avx512f" in line for line in f)
    except OSError:
        return False


def skylakex_note():
    """One line for the scripts' headers when SkylakeX is not tried, else ''."""
    return "" if cpu_has_avx512() else "OPENBLAS_CORETYPE=SkylakeX not tried: this CPU has no AVX-512 (it would die of SIGILL)"
