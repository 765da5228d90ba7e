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


def torch_blas_is_openblas():
    """Whether this interpreter's PyTorch may do its matrix products through OpenBLAS: Debian's
    python3-torch does (BLAS_INFO=generic, the system BLAS); a PyTorch wheel says BLAS_INFO=mkl, and
    there OPENBLAS_CORETYPE changes nothing, so coretype runs would repeat one setting. True when
    it cannot tell."""
    import subprocess
    import sys
    try:
        shown = subprocess.run([sys.executable, "-c", "import torch; print(torch.__config__.show())"],
                               check=True, capture_output=True, text=True, timeout=120).stdout
    except (OSError, subprocess.SubprocessError):
        return True
    return "BLAS_INFO=mkl" not in shown
