"""The peer of the drift check benchmark: SciPy's ks_2samp + wasserstein_distance per feature, on the same
values (the training rows and the captured rows DriftOnEmulators wrote), already in memory. Only the statistics
are timed. Debian python3-scipy; run with /usr/bin/python3, pinned to one core by drift-bench.sh."""
import json
import sys
import time

import numpy as np
import scipy
from scipy.stats import ks_2samp, wasserstein_distance

features = int(sys.argv[3])
reference = np.fromfile(sys.argv[1], dtype="<f8").reshape(-1, features)
current = np.fromfile(sys.argv[2], dtype="<f8").reshape(-1, features)
ref_cols = [np.ascontiguousarray(reference[:, f]) for f in range(features)]
cur_cols = [np.ascontiguousarray(current[:, f]) for f in range(features)]
t0, c0 = time.perf_counter(), time.process_time()
worst = 1.0
for f in range(features):
    ks = ks_2samp(ref_cols[f], cur_cols[f])
    w = wasserstein_distance(ref_cols[f], cur_cols[f])
    worst = min(worst, ks.pvalue)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"peer": "scipy %s ks_2samp + wasserstein_distance" % scipy.__version__,
                  "reference_rows": len(reference), "current_rows": len(current), "features": features,
                  "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "smallest_p": worst}))
