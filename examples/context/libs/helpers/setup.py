from setuptools import setup
setup(name="helpers", version="0.1", py_modules=["helpers"])
