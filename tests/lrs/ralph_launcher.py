"""Run Ralph's own LRS (its FastAPI app, ``ralph.api:app``) under uvicorn: ``python ralph_launcher.py HOST PORT``.

Configured by Ralph's own environment variables (``RALPH_APP_DIR``, ``RALPH_RUNSERVER_BACKEND=fs``,
``RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH``, ``RALPH_RUNSERVER_CORS_ALLOW_ORIGINS``, ...).

One upstream defect is worked around, nothing else: Ralph 5.1.0's file-system LRS backend writes
with its data backend's default operation type, CREATE, so the first statement creates
``fs_lrs.jsonl`` and every later write fails with a 500 ("already exists and overwrite is not
allowed"). Here its writes default to APPEND. Authentication, scopes, validation, CORS, the 409 on
a known id with other content and ``more`` paging all remain Ralph's own code. Unlike
``ralph runserver`` this does not reload on file changes (no ``reload=True``), so it may run anywhere.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND  # the workaround (see above)

if __name__ == "__main__":
    host, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run("ralph.api:app", host=host, port=port, log_level="warning")
