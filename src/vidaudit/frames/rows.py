"""One row of the frame manifest: what is known about one video's frames."""

from __future__ import annotations

from dataclasses import dataclass, fields

REQUIRED = ("video_id", "frame_count")
"""Columns a CSV manifest must have; everything else may be absent or empty."""

COLUMNS = ("video_id", "frame_count", "width", "height", "fps", "first_index", "gaps",
           "extra", "unreadable", "size_mismatch", "source", "count_method", "checked",
           "size", "mtime")
"""Columns written by ``vidaudit manifest``, in order."""


@dataclass(slots=True)
class MediaRow:
    """What probing (or a manifest line) says about one video.

    ``frame_count`` is the number of ``frame_NNNNN.jpg`` files for a frames folder
    (``count_method="files"``), the container's frame count for a video
    (``"container"``, an estimate for some formats) or the number of decoded frames
    (``"decoded"``). ``gaps`` counts the indices missing from ``0 .. last``, ``extra``
    the image files whose name is not a canonical ``frame_%05d.jpg``. ``unreadable``
    and ``size_mismatch`` describe the first problem found (empty: none).
    ``checked`` says how much was read: ``"headers"`` (frames: the headers of the
    first and last frame; videos: the container and the first frame) or ``"all"``
    (every frame decoded). ``size`` and ``mtime`` (nanoseconds) stamp the media so a
    re-run can reuse the row when nothing changed. ``line`` is the row's line in the
    manifest it was read from (1-based; not written).
    """

    video_id: str
    frame_count: int | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    first_index: int | None = None
    gaps: int = 0
    extra: int = 0
    unreadable: str = ""
    size_mismatch: str = ""
    source: str = ""
    count_method: str = ""
    checked: str = ""
    size: int | None = None
    mtime: int | None = None
    line: int | None = None

    @property
    def has_size(self) -> bool:
        return self.width is not None and self.height is not None

    @property
    def clean(self) -> bool:
        """No problem recorded (rows with problems are always probed again)."""
        return not (self.gaps or self.extra or self.unreadable or self.size_mismatch) \
            and self.frame_count is not None and self.first_index in (0, None)


FIELD_NAMES = tuple(f.name for f in fields(MediaRow))
