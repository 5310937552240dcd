"""kzresearch: a reproducible research package on the 10 January 2021 Mazhilis election.

Modules:
    kzresearch.data        tidy election data: build from raw, load, validate
    kzresearch.allocation  seat allocation: the Mazhilis rule and the classic methods
    kzresearch.publish.notebooks   notebook execution, parameter checks and rendering
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kzresearch")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
