"""The package ships a native library (libNormForgeGolden.so), so its wheels are platform wheels:
everything else is in pyproject.toml."""

from setuptools import setup
from setuptools.dist import Distribution


class BinaryDistribution(Distribution):
    """A distribution with a native part: wheels tagged for the platform, not py3-none-any."""

    def has_ext_modules(self):
        return True


setup(distclass=BinaryDistribution)
