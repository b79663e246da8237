"""The example app: reports the Python and CUDA runtime it finds in the image."""
import ctypes.util
import os
import platform

print(f"python {platform.python_version()}")
print(f"CUDA_VERSION={os.environ.get('CUDA_VERSION', '(unset)')}")
print(f"libcudart: {ctypes.util.find_library('cudart') or 'not found'}")
print(f"greeting: {os.environ.get('GREETING', '')}")
