import subprocess
import sys


def test_the_engine_never_imports_django():
    probe = (
        "import sys, entraide.matching.engine as e; "
        "e.solve([], []); "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
        "'django imported'"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
