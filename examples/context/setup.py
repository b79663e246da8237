from setuptools import setup, Extension
setup(name="my_optimized_package", version="0.1", ext_modules=[])
