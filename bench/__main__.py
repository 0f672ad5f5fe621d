"""Run a benchmark by name, or compare fresh figures with bench/RESULTS.md.

python -m bench NAME [ARGS...]
python -m bench --compare bench/RESULTS.md [--current FILE] [--tolerance 0.25]

NAME: overhead, throughput, batch, memory, checkpoint_size, local_model.
"""

from __future__ import annotations

import sys

from bench.registry import dispatch

if __name__ == "__main__":
    sys.exit(dispatch(sys.argv[1:]))
