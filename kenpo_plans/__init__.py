"""kenpo-plans: versioned annual business plans of 協会けんぽ branches, and their 新旧対照表."""

__version__ = "0.1.0"
