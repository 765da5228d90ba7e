#!/usr/bin/env bash
# Fails when a file under aekit/backend/ includes an aekit header from outside core/ or backend/:
# the backend is the floor the layers stand on (a CUDA backend slots in at this seam), so it may
# not reach up into layers/, losses/, models/ or train/.
set -euo pipefail
root="${1:?usage: backend_layering.sh SOURCE_DIR}"
bad=$(grep -rnE '#include <aekit/' "$root/aekit/backend" | grep -vE '#include <aekit/(core|backend)/' || true)
if [[ -n "$bad" ]]; then
  echo "backend/ must depend on core/ only; these includes reach higher:"
  echo "$bad"
  exit 1
fi
echo "backend/ includes only core/ and backend/ headers"
