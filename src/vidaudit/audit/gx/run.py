"""Running the suites through a Checkpoint, with Data Docs, in an ephemeral GX context.

The tables (the profile's ``gx_tables``) are handed to GX as pickle assets of a pandas data
source in a private temporary folder, so that one Checkpoint validates all of
them in one run (dataframe assets would all receive the same dataframe from the
checkpoint's batch parameters). The Checkpoint's UpdateDataDocsAction writes the
Data Docs into a staging folder beside ``OUTPUT/gx/data_docs``, which replaces the
previous one only once complete.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidaudit.audit.gx.suite import covered, suite_documents
from vidaudit.audit.progress import Steps
from vidaudit.engine import Result
from vidaudit.errors import UsageError
from vidaudit.findingtable import field_values
from vidaudit.output import write_atomic

SITE = "vidaudit"
RUN_NAME = "vidaudit-audit"


@dataclass
class ExpectationOutcome:
    suite: str
    type: str
    column: str
    rule: str
    success: bool
    unexpected: int
    identities: list[str] | None
    """Identities of the unexpected rows (with result_format COMPLETE)."""


@dataclass
class GxOutcome:
    version: str
    success: bool
    outcomes: list[ExpectationOutcome]
    covered: list[str]
    """Rule codes the suites restate."""
    finding_codes: set[str]
    data_docs: str | None
    """Path of the Data Docs' index.html, relative to the output folder."""
    results: str
    files: dict[str, str] = field(default_factory=dict)

    def agreement(self) -> dict[str, Any]:
        """Per restated rule: did GX fail an expectation exactly when vidaudit found something?"""
        failed = {o.rule for o in self.outcomes if not o.success}
        found = self.finding_codes & set(self.covered)
        only_gx, only_vidaudit = sorted(failed - found), sorted(found - failed)
        agree = not only_gx and not only_vidaudit
        message = (f"Great Expectations and vidaudit agree on all {len(self.covered)} rules the "
                   f"suites restate ({len(failed)} failing)." if agree else
                   f"Great Expectations and vidaudit disagree: GX fails {only_gx or 'nothing'} "
                   f"where vidaudit finds nothing, vidaudit finds {only_vidaudit or 'nothing'} "
                   "where GX passes.")
        return {"agree": agree, "only_gx": only_gx, "only_vidaudit": only_vidaudit,
                "message": message}

    def summary(self) -> dict[str, Any]:
        failures = [{"suite": o.suite, "expectation": o.type, "column": o.column,
                     "rule": o.rule, "unexpected": o.unexpected}
                    for o in self.outcomes if not o.success]
        return {"version": self.version, "success": self.success,
                "evaluated": len(self.outcomes), "failed": len(failures),
                "suites": sorted({o.suite for o in self.outcomes}),
                "covered_rules": self.covered, "failures": failures,
                "agreement": self.agreement(), "data_docs": self.data_docs,
                "results": self.results}


def _quiet() -> None:
    for name in ("great_expectations", "great_expectations.core", "py.warnings"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="great_expectations")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def run_gx(result: Result, out_dir: Path, steps: Steps,
           result_format: str = "SUMMARY") -> GxOutcome:
    """Validate the new release's tables; write suites, results and Data Docs under gx/."""
    _quiet()
    with steps.step("gx_import", "Importing Great Expectations"):
        import great_expectations as gx
        from great_expectations.checkpoint.actions import UpdateDataDocsAction
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        from vidaudit.audit.gx.docs import site_config
    gx_dir = out_dir / "gx"
    gx_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".data_docs.", dir=gx_dir)).resolve()
    staging.chmod(0o755)  # mkdtemp's 0700 would hide the Data Docs from a web server
    from vidaudit.profiles import get

    config = result.config
    profile = get(result.dataset.profile)
    frames = profile.gx_tables(result.dataset)
    if frames is None:
        raise UsageError(f"profile {profile.name} has no Great Expectations suite; run the "
                         "audit with --no-gx")
    with_frames = "manifest" in result.dataset.tables
    documents = suite_documents(profile, config, with_frames)
    try:
        with steps.step("gx_run", "Running the Great Expectations checkpoint"), \
                tempfile.TemporaryDirectory(prefix="vidaudit-gx-") as tables:
            context = gx.get_context(mode="ephemeral", project_config=DataContextConfig(
                store_backend_defaults=InMemoryStoreBackendDefaults(),
                analytics_enabled=False, data_docs_sites={},
                progress_bars=ProgressBarsConfig(globally=False)))
            context.add_data_docs_site(SITE, site_config(str(staging)))  # type: ignore[arg-type]
            source = context.data_sources.add_pandas("vidaudit")
            definitions = []
            for name, document in documents.items():
                table = document["meta"]["table"]
                path = Path(tables) / f"{table}.pkl"
                frames[table].to_pickle(path)
                asset = source.add_pickle_asset(table, filepath_or_buffer=path)
                batch = asset.add_batch_definition_whole_dataframe(table)
                suite = context.suites.add(gx.ExpectationSuite(
                    name=name, expectations=document["expectations"], meta=document["meta"]))
                definitions.append(context.validation_definitions.add(
                    gx.ValidationDefinition(name=table, data=batch, suite=suite)))
            checkpoint = context.checkpoints.add(gx.Checkpoint(
                name="vidaudit-release-audit", validation_definitions=definitions,
                actions=[UpdateDataDocsAction(name="data_docs", site_names=[SITE])],
                result_format={"result_format": result_format,
                               "unexpected_index_column_names": ["identity"],
                               "partial_unexpected_count": 20,
                               "return_unexpected_index_query": False}))
            run = checkpoint.run(run_id=RunIdentifier(
                run_name=RUN_NAME, run_time=datetime.datetime.now(datetime.UTC)))
        with steps.step("gx_write", "Writing the Data Docs"):
            final = gx_dir / "data_docs"
            _replace_dir(staging, final)
            files = _write_results(run, documents, gx_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    outcomes = _outcomes(run)
    return GxOutcome(
        version=gx.__version__, success=bool(run.success), outcomes=outcomes,
        covered=covered(profile, config, with_frames),
        finding_codes=set(field_values(result.findings, "code")),
        data_docs="gx/data_docs/index.html" if (final / "index.html").exists() else None,
        results="gx/validation_results.json", files=files)


def _replace_dir(new: Path, final: Path) -> None:
    """Put ``new`` at ``final``; a reader sees the old folder or the new one, never half."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old.{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
    new.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_results(run: Any, documents: dict[str, Any], gx_dir: Path) -> dict[str, str]:
    import hashlib

    files: dict[str, str] = {}

    def write(relative: str, text: str) -> None:
        write_atomic(gx_dir / relative, text)
        files[f"gx/{relative}"] = hashlib.sha256(text.encode()).hexdigest()

    write("validation_results.json",
          json.dumps(run.describe_dict(), indent=1, ensure_ascii=False, default=str) + "\n")
    for name, document in documents.items():
        write(f"suites/{name}.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return files


def _outcomes(run: Any) -> list[ExpectationOutcome]:
    outcomes = []
    for validation in run.run_results.values():
        for item in validation.results:
            configuration = item.expectation_config
            kwargs = configuration.kwargs
            column = kwargs.get("column") or ", ".join(
                kwargs.get("column_list") or [kwargs.get("column_A", ""),
                                              kwargs.get("column_B", "")])
            details = item.result or {}
            indexes = details.get("unexpected_index_list")
            identities = None if indexes is None else [
                row["identity"] if isinstance(row, dict) else str(row) for row in indexes]
            outcomes.append(ExpectationOutcome(
                suite=validation.suite_name, type=configuration.type, column=column,
                rule=str((configuration.meta or {}).get("rule", "")),
                success=bool(item.success),
                unexpected=int(details.get("unexpected_count") or 0),
                identities=identities))
    return outcomes
