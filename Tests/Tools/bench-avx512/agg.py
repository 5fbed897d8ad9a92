import json, re, glob, statistics as st
g = {}
for f in sorted(glob.glob('/tmp/avx512bench/gemm_r*.txt')):
    for l in open(f):
        l = l.strip()
        if l.startswith('{'):
            d = json.loads(l); g.setdefault((d['shape'], 'numpy'), []).append((d['numpy_gflops'], d['best']))
        else:
            m = re.match(r'(\S+(?: T[AB])?) (avx512|avx2|base) median ([\d.]+) best ([\d.]+)', l)
            if m:
                shape = m.group(1).replace(' TA', ' TA').replace(' TB', ' TB')
                g.setdefault((shape, m.group(2)), []).append((float(m.group(3)), float(m.group(4))))
shapes = []
for (s, v) in g:
    if s not in shapes: shapes.append(s)
print("shape | numpy med/best | avx512 med/best | avx2 med/best | base med/best | avx512/numpy (med) | avx2/base (med)")
for s in shapes:
    row = {}
    for v in ('numpy', 'avx512', 'avx2', 'base'):
        xs = g.get((s, v), [])
        row[v] = (st.median([x[0] for x in xs]), max(x[1] for x in xs), len(xs)) if xs else (0, 0, 0)
    print(f"{s:18s} | {row['numpy'][0]:6.1f}/{row['numpy'][1]:6.1f} | {row['avx512'][0]:6.1f}/{row['avx512'][1]:6.1f} | {row['avx2'][0]:6.1f}/{row['avx2'][1]:6.1f} | {row['base'][0]:6.1f}/{row['base'][1]:6.1f} | {row['avx512'][0]/row['numpy'][0]:.2f} | {row['avx2'][0]/max(row['base'][0],1e-9):.2f}  (n={row['avx512'][2]})")
c = {}
for f in sorted(glob.glob('/tmp/avx512bench/conv_r*.txt')):
    for l in open(f):
        m = re.match(r'(\S+) (torch|avx512|avx2|base) median ([\d.]+) min ([\d.]+)', l)
        if m: c.setdefault((m.group(1), m.group(2)), []).append((float(m.group(3)), float(m.group(4))))
print("\nworkload | torch med | avx512 med | avx2 med | base med | avx512/torch | avx2/base (medians of round medians, s)")
for w in ('conv_layer1', 'conv_layer1_bwd', 'infer640'):
    r = {v: st.median([x[0] for x in c.get((w, v), [(0, 0)])]) for v in ('torch', 'avx512', 'avx2', 'base')}
    n = len(c.get((w, 'avx512'), []))
    print(f"{w} | {r['torch']:.3f} | {r['avx512']:.3f} | {r['avx2']:.3f} | {r['base']:.3f} | {r['avx512']/r['torch']:.2f} | {r['avx2']/r['base']:.2f}  (n={n})")
