"""Model backends: one narrow interface (`Backend.complete`), one module per provider."""

from summarizer.backends.base import Backend, Completion, Message
from summarizer.backends.fake import FakeBackend

__all__ = ["Backend", "Completion", "FakeBackend", "Message"]
