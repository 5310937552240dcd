"""How long one call may take in the bad-input and fuzzing tests before it counts as hung.

The goal is a second per call (issue 12); ``benchmarks/bad_inputs.py`` measures it, on a machine at
rest, by running those tests with ``KZRESEARCH_CALL_LIMIT=1``. In the test suite, which shares the
machine's cores with notebook kernels, the limit only tells a hung call from a slow one.
"""

import os

CALL_LIMIT = float(os.environ.get("KZRESEARCH_CALL_LIMIT", "10"))
