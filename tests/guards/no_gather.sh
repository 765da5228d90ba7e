#!/usr/bin/env bash
# Fails when the object code of a kernel that streams through contiguous arrays contains gather or
# scatter instructions (vgather*, vscatter*, vpgather*, vpscatter*). Such loops touch element i of
# each array and nothing else; a gather there means the compiler lost track of the base pointers
# (it happened: the optimizer's simd body was taken by reference, every access became a gather,
# and batch-size-1 training ran 4.5x slower). Usage: no_gather.sh OBJECT...
set -euo pipefail
(( $# > 0 )) || { echo "usage: no_gather.sh OBJECT..."; exit 2; }
status=0
for object in "$@"; do
  count=$(objdump -d --no-show-raw-insn "$object" | grep -cE '\bv(p)?(gather|scatter)' || true)
  if (( count > 0 )); then
    echo "FAIL $(basename "$object"): $count gather/scatter instructions, in:"
    objdump -d -C --no-show-raw-insn "$object" |
      awk '/^[0-9a-f]+ <.*>:$/ { fn = $0 } /[[:space:]]v(p)?(gather|scatter)/ { print "  " fn }' | sort -u | head -5
    status=1
  else
    echo "ok   $(basename "$object")"
  fi
done
exit $status
