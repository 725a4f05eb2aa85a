"""Parse speed against CPython, in one run: parses every .py file of
CPython's Lib/ (site-packages excluded) with CPython's
compile(src, path, 'exec', ast.PyCF_ONLY_AST) and with Taipan's
`parse_bench` example, best of three each, and prints both and the ratio.

Usage (from the repository root):
    cargo build --release -p taipan-parser --examples
    python3 tools/bench_parse.py [--bin target/release/examples/parse_bench]
"""
import argparse, ast, os, subprocess, sys, sysconfig, time, warnings

def lib_files():
    root = sysconfig.get_path('stdlib')
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x != 'site-packages']
        out.extend(os.path.join(d, f) for f in files if f.endswith('.py'))
    return sorted(out)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', default='target/release/examples/parse_bench')
    args = ap.parse_args()
    files = lib_files()
    sources = [(f, open(f, 'rb').read()) for f in files]
    warnings.simplefilter('ignore')
    best = float('inf')
    for _ in range(3):
        t = time.perf_counter()
        for f, src in sources:
            try:
                compile(src, f, 'exec', ast.PyCF_ONLY_AST)
            except (SyntaxError, ValueError):
                pass
        best = min(best, time.perf_counter() - t)
    nbytes = sum(len(s) for _, s in sources)
    print(f'cpython: parsed {len(files)} files, {nbytes} bytes in {best:.3f} seconds')
    out = subprocess.run([args.bin, *files], capture_output=True, text=True, check=True).stdout.strip()
    print(f'taipan:  {out}')
    taipan = float(out.split(' in ')[1].split()[0])
    print(f'speed-up: {best / taipan:.1f}x')

if __name__ == '__main__':
    main()
