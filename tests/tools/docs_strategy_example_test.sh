#!/usr/bin/env bash
# docs/strategies.md shows tests/strategies/user_strategy.py (its code, the
# comment lines left out) as the ```python block after "A complete user
# strategy": the example the docs show is the one the user_module test runs.
# Usage: docs_strategy_example_test.sh REPO_ROOT
set -euo pipefail
root=${1:?usage: docs_strategy_example_test.sh REPO_ROOT}
doc=$(awk '/^A complete user strategy/ {f=1} f && /^```python$/ {p=1; next} p && /^```$/ {exit} p' "$root/docs/strategies.md")
code=$(grep -v '^#' "$root/tests/strategies/user_strategy.py")
[[ -n $doc ]] || { echo "FAIL: no python block after 'A complete user strategy' in docs/strategies.md"; exit 1; }
if [[ $doc != "$code" ]]; then
  echo "FAIL: docs/strategies.md's example differs from tests/strategies/user_strategy.py:"
  diff <(echo "$doc") <(echo "$code") || true
  exit 1
fi
n=$(wc -l <<<"$doc")
((n < 40)) || { echo "FAIL: the example has $n lines (under 40)"; exit 1; }
echo "ok ($n lines)"
