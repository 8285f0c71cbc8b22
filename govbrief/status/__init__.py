"""Submission status: which unit sent which return for which period, when, and how it fared.

`submission_matrix` builds the unit × (period, return kind) matrix from the
warehouse; `render_matrix_table` and `matrix_json` show it; `timeliness` gives
报送及时率, 数据校验通过率 and 数据修订次数. The brief's 报送情况 comes from the
same status function (govbrief.status.classify.submission_status).
"""

from govbrief.status.classify import STATUSES, SlotFacts, SubmissionStatus, submission_status
from govbrief.status.matrix import (
    MatrixColumn,
    ReturnKindInfo,
    StatusMatrix,
    SubmissionCell,
    build_cell,
    periods_within,
    submission_matrix,
)
from govbrief.status.present import LABELS_ZH, cell_label, matrix_json, render_matrix_table
from govbrief.status.timeliness import Timeliness, cells_timeliness, timeliness

__all__ = [
    "LABELS_ZH",
    "STATUSES",
    "MatrixColumn",
    "ReturnKindInfo",
    "SlotFacts",
    "StatusMatrix",
    "SubmissionCell",
    "SubmissionStatus",
    "Timeliness",
    "build_cell",
    "cell_label",
    "cells_timeliness",
    "matrix_json",
    "periods_within",
    "render_matrix_table",
    "submission_matrix",
    "submission_status",
    "timeliness",
]
