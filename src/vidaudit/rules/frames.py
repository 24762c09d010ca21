"""VA4xx: frames. Need a frame source (manifest, frame folders or videos)."""

from vidaudit.model import Severity
from vidaudit.rules.registry import rule

ERROR = Severity.ERROR

rule("VA401", "frames-missing", ERROR,
     "an annotated video has no frames, video or manifest row",
     """
     Without the video's frames, none of its events can be checked or used.
     """,
     "Extract the video's frames, or add its row to the frame manifest.", needs="frames")

rule("VA402", "frame-out-of-range", ERROR,
     "an event's frameNumber is not below the video's frame count",
     """
     Frames are numbered from 0, so the last frame of an n-frame video is n-1. An event
     at frame n or later points at a frame that does not exist: off-by-one errors,
     events annotated at another frame rate, or a truncated extraction.
     """,
     "Check the event against the video; re-extract the frames if the video is longer "
     "than its frames folder.", needs="frames")

rule("VA403", "point-out-of-bounds", ERROR,
     "an event's point lies outside the frame (pointX >= width or pointY >= height)",
     """
     Points are pixel coordinates in the extracted frames, so 0 <= pointX < width and
     0 <= pointY < height. A point outside was annotated on another resolution or has
     x and y swapped.
     """,
     "Rescale or swap the coordinates, or re-annotate the point.", needs="frames")

rule("VA404", "frame-sequence-gap", ERROR,
     "extracted frames are not exactly frame_00000.jpg ... frame_{n-1}",
     """
     The frame count is taken to be the number of files, and frame k to be file k. A
     missing index shifts every later frame; an extra index means a stale file.
     """,
     "Re-extract the video's frames into an empty folder.", needs="frames")

rule("VA405", "unreadable-media", ERROR,
     "a frame or video cannot be opened or decoded",
     """
     A truncated JPEG or a broken video fails training data loaders at random, far
     from its cause.
     """,
     "Re-extract or re-download the file.", needs="frames")

rule("VA406", "frame-size-mismatch", ERROR,
     "frames of one video differ in size, or the manifest disagrees with the frames",
     """
     All frames of a video share one size, and the committed manifest must describe
     the frames on disk; otherwise point bounds are checked against the wrong size.
     """,
     "Re-extract the frames, then rebuild the manifest with `vidaudit manifest`.",
     needs="frames")
