import numpy as np, time, sys, json
shapes = [tuple(s.split(":")) for s in sys.argv[1:]]
for m, n, k, t in shapes:
    m, n, k = int(m), int(n), int(k)
    a = np.random.rand(k, m).astype(np.float32).T if "A" in t else np.random.rand(m, k).astype(np.float32)
    b = np.random.rand(n, k).astype(np.float32).T if "B" in t else np.random.rand(k, n).astype(np.float32)
    c = np.empty((m, n), np.float32)
    np.matmul(a, b, out=c)
    ts = []
    for _ in range(7):
        reps = 0; t0 = time.perf_counter()
        while True:
            np.matmul(a, b, out=c); reps += 1
            if time.perf_counter() - t0 > 0.05: break
        ts.append((time.perf_counter() - t0) / reps)
    ts.sort()
    print(json.dumps({"shape": f"{m}x{n}x{k}{' T'+t if t!='-' else ''}", "numpy_gflops": round(2*m*n*k/ts[3]/1e9, 1), "best": round(2*m*n*k/ts[0]/1e9, 1)}))
