"""Loading of the golden models' shared library and the ctypes signatures of its C ABI.

The library is ``libNormForgeGolden.so`` from the Swift product ``NormForgeGolden`` (target
``GoldenC``), built self-contained (``-static-stdlib``), so it needs only libc, libm, libstdc++
and libgcc_s. It is found, in order, at ``$NORMFORGE_GOLDEN_LIB`` or beside this file
(``make python`` copies it there).
"""

from __future__ import annotations

import ctypes
import os
import threading
from pathlib import Path

import numpy as np

LIBRARY_NAME = "libNormForgeGolden.so"
ABI_VERSION = 1
_ERROR_CAPACITY = 1024

_c_char_p = ctypes.c_char_p
_i64 = ctypes.c_int64
_i32 = ctypes.c_int32
_vp = ctypes.c_void_p
_SIGNATURES = {
    "nf_abi_version": (_i32, []),
    "nf_format_info": (_i32, [_c_char_p, _vp, _c_char_p, _i64]),
    "nf_encode": (_i32, [_c_char_p, _c_char_p, _vp, _i64, _vp, _i32, _c_char_p, _i64]),
    "nf_decode": (_i32, [_c_char_p, _vp, _i32, _i64, _vp, _c_char_p, _i64]),
    "nf_convert": (_i32, [_c_char_p, _vp, _i32, _c_char_p, _vp, _i32, _i64, _c_char_p, _c_char_p, _i64]),
    "nf_iternorm": (_i32, [_c_char_p, _c_char_p, _c_char_p, _c_char_p, _i64, _i64, _i64, _i64,
                           ctypes.c_double, _i64, _i64, _i32, _vp, _vp, _vp, _vp, _c_char_p, _i64]),
    "nf_fisr_norm": (_i32, [_c_char_p, _c_char_p, _c_char_p, _i64, _i64, _i64, ctypes.c_double, _i64, _i64, _i32,
                            _vp, _vp, _vp, _vp, _c_char_p, _i64]),
    "nf_bfp_info": (_i32, [_c_char_p, _vp, _c_char_p, _i64]),
    "nf_bfp_element_name": (_i32, [_c_char_p, _c_char_p, _i64, _c_char_p, _i64]),
    "nf_bfp_quantize": (_i32, [_c_char_p, _c_char_p, _i32, _i32, ctypes.c_uint32, _c_char_p, _vp, _i32,
                               _i64, _vp, _vp, _i32, _c_char_p, _i64]),
    "nf_bfp_dequantize": (_i32, [_c_char_p, _i64, _vp, _vp, _i32, _c_char_p, _vp, _i32, _c_char_p, _i64]),
    "nf_range_bn_forward": (_i32, [_c_char_p, _c_char_p, _c_char_p, _i32, _i64, _i64, _i64, ctypes.c_double, _i64,
                                   ctypes.c_uint32, _vp, _vp, _i32, _vp, _vp, _vp, _vp, _vp, _i32, _vp, _vp, _vp,
                                   _vp, _vp, _c_char_p, _i64]),
    "nf_range_bn_running_reset": (_i32, [_i64, _i64, _i64, _vp, _vp, _c_char_p, _i64]),
    "nf_range_bn_running_update": (_i32, [_c_char_p, _i64, _i64, _i64, ctypes.c_double, _i64, ctypes.c_double,
                                          _vp, _vp, _i32, _vp, _vp, _c_char_p, _i64]),
    "nf_range_bn_inference": (_i32, [_c_char_p, _c_char_p, _c_char_p, _i64, _i64, _i64, ctypes.c_double, _i64,
                                     ctypes.c_uint32, _vp, _vp, _i32, _vp, _vp, _vp, _vp, _vp, _vp, _vp, _i32,
                                     _c_char_p, _i64]),
    "nf_range_bn_backward": (_i32, [_c_char_p, _c_char_p, _c_char_p, _c_char_p, _i32, _i64, _i64, _i64,
                                    ctypes.c_double, _i64, ctypes.c_uint32, _vp, _vp, _i32, _vp, _vp, _vp, _i32,
                                    _vp, _vp, _vp, _i32, _vp, _vp, _c_char_p, _i64]),
}

_lock = threading.Lock()
_library: ctypes.CDLL | None = None


class NormForgeError(ValueError):
    """A parameter or value the golden model rejected; the message is the model's own."""


def library_path() -> Path:
    """Where the shared library is loaded from: ``$NORMFORGE_GOLDEN_LIB`` or the package directory."""
    override = os.environ.get("NORMFORGE_GOLDEN_LIB")
    return Path(override) if override else Path(__file__).with_name(LIBRARY_NAME)


def library() -> ctypes.CDLL:
    """The loaded library (loaded once, on first use), with every entry point's signature set."""
    global _library
    if _library is not None:
        return _library
    with _lock:
        if _library is None:
            path = library_path()
            if not path.is_file():
                raise ImportError(
                    f"normforge: the golden models' library {path} is missing; run `make python` in the "
                    "NormForge checkout or set NORMFORGE_GOLDEN_LIB to libNormForgeGolden.so")
            lib = ctypes.CDLL(str(path))
            for name, (restype, argtypes) in _SIGNATURES.items():
                function = getattr(lib, name)
                function.restype = restype
                function.argtypes = argtypes
            version = lib.nf_abi_version()
            if version != ABI_VERSION:
                raise ImportError(f"normforge: {path} has C ABI version {version}, this package needs {ABI_VERSION}")
            _library = lib
    return _library


def call(name: str, *arguments) -> None:
    """Calls entry point ``name`` with an error buffer appended; raises `NormForgeError` on failure."""
    error = ctypes.create_string_buffer(_ERROR_CAPACITY)
    status = getattr(library(), name)(*arguments, error, _ERROR_CAPACITY)
    if status != 0:
        message = error.value.decode("utf-8", "replace")
        if status == 2:
            message = f"internal binding error: {message}"
        raise NormForgeError(message)


def text(value: str | None) -> bytes | None:
    """A str argument as the NUL-terminated UTF-8 bytes the ABI takes (None stays None)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected a str, got {type(value).__name__}")
    if "\0" in value:
        raise ValueError("names must not contain NUL characters")
    return value.encode("utf-8")


def pointer(array: np.ndarray | None) -> int | None:
    """The data pointer of a C-contiguous array (None for None); the callers have checked its
    dtype and size against what the entry point reads."""
    if array is None:
        return None
    if not array.flags.c_contiguous:  # a check, not an assert: python -O must not skip it
        raise ValueError("internal binding error: a buffer is not C-contiguous")
    return array.ctypes.data


STORAGE_DTYPES = {1: np.dtype(np.uint8), 2: np.dtype(np.uint16), 4: np.dtype(np.uint32), 8: np.dtype(np.uint64)}
