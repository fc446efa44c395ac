"""The BLAS behind PyTorch's torch.mm, and setting its thread count (shared by torch_bench.py,
torch_rnn.py and torch_scaling.py, the PyTorch sides of `npm run bench` and
`npm run bench -- --scaling`).

BLAS: the library that actually serves sgemm_ to libtorch_cpu (found with dladdr, since Debian's
build reports BLAS_INFO=generic and takes whatever libblas.so.3 the alternatives system points
to): `BLAS` = {name: 'OpenBLAS' | 'reference BLAS' | 'BLIS' | 'MKL' | ..., library, config,
torch_blas_info}; `OPENBLAS` the ctypes handle when it is OpenBLAS, else None.
"""
import ctypes, ctypes.util, os, re
import torch


class _DlInfo(ctypes.Structure):
    _fields_ = [('dli_fname', ctypes.c_char_p), ('dli_fbase', ctypes.c_void_p),
                ('dli_sname', ctypes.c_char_p), ('dli_saddr', ctypes.c_void_p)]


def blas_info():
    """The BLAS behind torch.mm: name, the library file (resolved) and OpenBLAS's build config."""
    info = {'name': 'unknown', 'library': '', 'config': '', 'torch_blas_info': ''}
    show = torch.__config__.show()
    m = re.search(r'BLAS_INFO=([^,\s]+)', show)
    if m:
        info['torch_blas_info'] = m.group(1)
    if info['torch_blas_info'] == 'mkl' or 'Intel(R) Math Kernel Library' in show:
        info['name'] = 'MKL'
        return info, None
    try:
        torch.mm(torch.ones(2, 2), torch.ones(2, 2))
        libdl = ctypes.CDLL(ctypes.util.find_library('dl') or 'libc.so.6')
        cpu = ctypes.CDLL(os.path.join(os.path.dirname(torch.__file__), 'lib', 'libtorch_cpu.so'))
        dl = _DlInfo()
        if not libdl.dladdr(ctypes.cast(cpu.sgemm_, ctypes.c_void_p), ctypes.byref(dl)):
            return info, None
        path = dl.dli_fname.decode()
        real = os.path.realpath(path)
        info['library'] = real
        lib = ctypes.CDLL(path)
        if hasattr(lib, 'openblas_get_config'):
            lib.openblas_get_config.restype = ctypes.c_char_p
            info['name'] = 'OpenBLAS'
            info['config'] = lib.openblas_get_config().decode()
            return info, lib
        low = real.lower()
        if 'blis' in low: info['name'] = 'BLIS'
        elif 'atlas' in low: info['name'] = 'ATLAS'
        elif 'mkl' in low: info['name'] = 'MKL'
        elif '/blas/' in low or low.endswith('/libblas.so.3'): info['name'] = 'reference BLAS'
    except (OSError, AttributeError):
        pass
    return info, None


BLAS, OPENBLAS = blas_info()


def set_threads(n):
    torch.set_num_threads(n)
    if OPENBLAS is not None and hasattr(OPENBLAS, 'openblas_set_num_threads'):
        OPENBLAS.openblas_set_num_threads(n)
