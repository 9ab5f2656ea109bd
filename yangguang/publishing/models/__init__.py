from .attachment import Attachment
from .column import Column
from .document import Document, Edition, IndexCounter
from .screening import ScreeningFinding
from .withdrawal import WithdrawalRequest

__all__ = ["Attachment", "Column", "Document", "Edition", "IndexCounter", "ScreeningFinding", "WithdrawalRequest"]
