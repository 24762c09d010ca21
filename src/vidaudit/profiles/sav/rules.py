"""The ``sav`` profile's rules: VA801-VA812 on the train JSON, VA820-VA825 on the val/test
folders ("SA-V masklets").

They are emitted by the per-video checks (:mod:`.train`, :mod:`.valtest`), which run in
worker processes one video at a time, rather than checked on tables: a train split is
100,000 files, and a table of every masklet would make memory grow with it.
"""

from __future__ import annotations

from vidaudit.model import Severity
from vidaudit.rules.registry import check, rule

NAME = "sav"
ERROR = Severity.ERROR
TRAIN_FILES = "SA-V train files (sav_*_manual.json, sav_*_auto.json)"
TRAIN_VIDEOS = "the train videos (sav_*.mp4 beside the JSON files, or the videos setting)"
VAL_FOLDERS = "SA-V val/test folders (sav_val.txt or sav_test.txt, JPEGImages_24fps, " \
    "Annotations_6fps)"
"""What a rule needs (Rule.needs): the run provides it when the folder has it."""

rule("VA801", "masklet-length", ERROR,
     "a masklet_* list, or an inner list of masklet, does not have masklet_num entries",
     """
     Every per-object list of an SA-V annotation file (`masklet_id`, `masklet_size_abs`,
     `masklet_type`, ...) holds one entry per masklet, and every annotated frame of
     `masklet` one RLE per masklet: `masklet_num` of them. Loaders index these lists
     in parallel, so a shorter or longer one attributes statistics, types or masks to
     the wrong object, or fails with an IndexError. (The auto file's
     `masklet_stability_score` is frames x objects, like `masklet`.)
     """,
     "Write one entry per masklet in every list, in masklet_id order, and set "
     "masklet_num to their number.",
     needs=TRAIN_FILES, profile=NAME, per_profile=False)

rule("VA802", "annotated-frame-count", ERROR,
     "masklet does not have ceil(video_frame_count / 4) frames, or masklet_frame_count "
     "disagrees with it",
     """
     SA-V annotates at 6 fps a video recorded at 24 fps: every 4th frame, starting with
     frame 0, so a video of N frames has ceil(N / 4) annotated frames, and each
     masklet's `masklet_frame_count` is that number. With more or fewer entries the
     masks are attached to the wrong video frames.
     """,
     "Regenerate the masklet list from the 6 fps annotation (frames 0, 4, 8, ...) and "
     "write its length into masklet_frame_count.",
     needs=TRAIN_FILES, profile=NAME, per_profile=False)

rule("VA803", "rle-size", ERROR,
     "an RLE's size is not [video_height, video_width]",
     """
     A COCO RLE records the size of the mask it encodes as [height, width]; pycocotools
     decodes it column-major into that shape. A size of [width, height] (the classic
     mistake) decodes into a transposed, meaningless mask without any error.
     """,
     "Encode the masks at the video's resolution and write size as [height, width].",
     needs=TRAIN_FILES, profile=NAME,
     per_profile=False)

rule("VA804", "rle-invalid", ERROR,
     "RLE counts that do not decode, or whose runs do not add up to height x width",
     """
     A compressed COCO RLE string holds run lengths that must together cover exactly
     height x width pixels. A truncated string, a character outside the encoding, a
     negative run or a total of the wrong size makes pycocotools read or write past
     the mask, or decode garbage.
     """,
     "Re-encode the mask with pycocotools.mask.encode on a Fortran-ordered uint8 array "
     "of the video's size.",
     needs=TRAIN_FILES, profile=NAME, per_profile=False)

rule("VA805", "size-statistics", ERROR,
     "masklet_size_abs, masklet_size_rel or video_resolution disagrees with the masks",
     """
     `masklet_size_abs` is the mean mask area, in pixels, over the annotated frames
     where the object is visible; `masklet_size_rel` is that divided by the
     resolution; `video_resolution` is height x width. Users filter and stratify by
     these numbers (relative tolerance 1e-3), so stale ones select the wrong objects.
     """,
     "Recompute the statistics from the masks (pycocotools.mask.area).",
     needs=TRAIN_FILES, profile=NAME, per_profile=False)

rule("VA806", "size-bucket", ERROR,
     "masklet_size_bucket disagrees with masklet_size_abs and the thresholds 32² and 96²",
     """
     The bucket is `small` for 1 <= abs < 32² (1024), `medium` for 32² <= abs < 96²
     (9216) and `large` above 96², as in COCO. A wrong bucket puts the object in the
     wrong stratum of every per-size evaluation.
     """,
     "Derive the bucket from masklet_size_abs with those thresholds.",
     needs=TRAIN_FILES, profile=NAME, per_profile=False)

rule("VA807", "first-appearance", ERROR,
     "masklet_first_appeared_frame is not the first annotated frame where the object is "
     "visible",
     """
     The index (into the annotated frames) of the first frame whose mask is not empty.
     Tracking evaluations start an object there; a wrong index prompts a tracker with
     an empty mask or skips frames.
     """,
     "Recompute it from the masks: the first annotated frame with a non-empty mask.",
     needs=TRAIN_FILES, profile=NAME,
     per_profile=False)

rule("VA808", "visibility-changes", ERROR,
     "masklet_visibility_changes is not the number of visible <-> invisible changes "
     "after the first appearance",
     """
     Counted over consecutive annotated frames from the first appearance on: each
     change from a non-empty to an empty mask, or back, is one. It measures occlusion
     and is used to select hard cases.
     """,
     "Recompute it from the masks.",
     needs=TRAIN_FILES, profile=NAME, per_profile=False)

rule("VA809", "duration-frames", ERROR,
     "video_duration x 24 differs from video_frame_count by more than one frame",
     """
     SA-V videos are 24 fps, so duration and frame count describe the same length. A
     larger difference means one of them (or the fps) is wrong, and the annotated
     frame grid with it.
     """,
     "Take video_duration and video_frame_count from the video itself.",
     needs=TRAIN_FILES, profile=NAME, per_profile=False)

rule("VA810", "manual-auto-mismatch", ERROR,
     "the manual and auto files of a video disagree, a file's type entries or video_id "
     "disagree with its name, an auto file has no manual file, or auto-only rules break",
     """
     A video's `{id}_manual.json` and `{id}_auto.json` describe the same video: every
     `video_*` field must be equal. Each file's `masklet_type` entries say `manual` or
     `auto` as its name does, and its `video_id` is the id in its name. Every video has
     a manual file (the auto one is optional), and automatic masklets have
     `masklet_first_appeared_frame` 0 and `masklet_edited_frame_count` 0.
     """,
     "Regenerate the pair from one source of the video's metadata, and name each file "
     "after its video and type.",
     needs=TRAIN_FILES, profile=NAME, per_profile=False)

rule("VA811", "empty-masklet", ERROR,
     "a masklet (or a val/test object) is never visible",
     """
     An object whose masks are all empty has no appearance to track; SA-V's official
     evaluator asserts that each object is non-empty in some evaluated frame (it skips
     the first and last annotated frames of val/test), and stops.
     """,
     "Remove the object, or restore its masks.", profile=NAME, per_profile=False)

rule("VA812", "video-mismatch", ERROR,
     "the video's frame count or size differs from the JSON",
     """
     With the train `.mp4` beside the JSON files, the video's own frame count (from its
     container) and its width and height must be the ones the annotation was made for;
     otherwise the 6 fps grid and every mask belong to another video or encoding.
     """,
     "Pair the annotation with the video it was made on, or fix video_frame_count, "
     "video_height and video_width.",
     needs=TRAIN_VIDEOS, profile=NAME, per_profile=False)

rule("VA820", "split-list-mismatch", ERROR,
     "sav_val.txt / sav_test.txt and the video folders of JPEGImages_24fps and "
     "Annotations_6fps disagree",
     """
     The split list names the videos of the split; each has a folder of frames under
     `JPEGImages_24fps/` and of masks under `Annotations_6fps/`. The official evaluator
     walks the folders, so a video in one place and not the other is silently dropped
     from, or added to, the benchmark.
     """,
     "Make the list and both folders hold the same video ids.",
     needs=VAL_FOLDERS, profile=NAME, per_profile=False)

rule("VA821", "mask-without-frame", ERROR,
     "a mask PNG whose frame JPEG does not exist",
     """
     `Annotations_6fps/{video}/{object}/{frame}.png` is the mask of
     `JPEGImages_24fps/{video}/{frame}.jpg`. Without that frame the mask cannot be
     used as a prompt or a target.
     """,
     "Restore the frame, or remove the mask.",
     needs=VAL_FOLDERS, profile=NAME, per_profile=False)

rule("VA822", "mask-size", ERROR,
     "a mask whose size differs from its frame's",
     """
     A mask is pixel-aligned with its frame; one of another size is scored against the
     wrong pixels, or fails the evaluator.
     """,
     "Write the mask at the frame's size.",
     needs=VAL_FOLDERS, profile=NAME, per_profile=False)

rule("VA823", "mask-not-binary", ERROR,
     "a per-object mask PNG with more than two values",
     """
     The evaluator reads per-object masks as binary (it rejects more than two values):
     a mask saved with antialiasing or as JPEG-like greys is not a mask of one object.
     """,
     "Save the mask as a two-valued PNG (0 and 255, or 0 and 1), without resampling.",
     needs=VAL_FOLDERS, profile=NAME,
     per_profile=False)

rule("VA824", "mask-off-grid", ERROR,
     "a mask on a frame whose index is not a multiple of 4",
     """
     Val/test masks are annotated at 6 fps on 24 fps videos: frames 0, 4, 8, ... A mask
     elsewhere is off the annotation grid (a renamed file, or masks at another rate).
     """,
     "Name each mask after the frame it was annotated on.",
     needs=VAL_FOLDERS, profile=NAME, per_profile=False)

rule("VA825", "object-folder-name", ERROR,
     "an object folder under Annotations_6fps/{video}/ not named by three digits",
     """
     Objects are folders `000`, `001`, ...; the evaluator parses the name as the object
     id. Any other name is not an object it can score.
     """,
     "Name object folders by their object id in three digits.",
     needs=VAL_FOLDERS, profile=NAME, per_profile=False)

# With --videos, the shared frame source probes the videos and .videos compares them
# with the JSON into this table (the videos beside the JSON are checked in the workers).
check("VA812", profile=NAME, tables="video_mismatch", predicate=lambda t, c: t["ok"],
      message="{message}")
