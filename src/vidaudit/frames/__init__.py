"""Frames and videos: probing media on disk and the frame manifest that records them.

Modules, each with one job:

- :mod:`~vidaudit.frames.rows`: one manifest row (:class:`MediaRow`) and the CSV columns;
- :mod:`~vidaudit.frames.paths`: frame file names, media discovery under a root, and the
  guard that never turns an unvalidated id into a path or follows a link out of the root;
- :mod:`~vidaudit.frames.jpeg`: JPEG sizes from the header, without decoding;
- :mod:`~vidaudit.frames.folder` / :mod:`~vidaudit.frames.video`: probe one frames folder /
  one video file;
- :mod:`~vidaudit.frames.pool`: probe many, in a process pool with a progress bar;
- :mod:`~vidaudit.frames.cluster` / :mod:`~vidaudit.frames.remote`: probe many on a
  dask.distributed cluster (``--scheduler``) / in a fresh process on one of its workers;
- :mod:`~vidaudit.frames.csvio`, :mod:`~vidaudit.frames.rawframes`,
  :mod:`~vidaudit.frames.reader`: write and read manifests (CSV, mmaction2/TSM lists),
  exactly, line by line;
- :mod:`~vidaudit.frames.fastread`: read well-formed manifests with pandas' C parser;
- :mod:`~vidaudit.frames.table`: manifest rows as tables, merged on integer keys;
- :mod:`~vidaudit.frames.build`: build a manifest, reusing unchanged rows.

Nothing here imports pandas at module level (fastread and table do inside their
functions, which only `check` calls), Dask is imported only with ``--scheduler``, and
only the video probe imports OpenCV, so that ``vidaudit manifest --frames`` starts fast.
"""
