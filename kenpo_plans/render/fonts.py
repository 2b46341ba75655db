"""Finding a Japanese font through fontconfig, so a PDF never shows tofu boxes."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

from ..errors import KenpoError
from ..i18n import N_, _, listing

# Preference order for a 新旧対照表: Mincho reads like the printed originals.
PREFERRED = (
    "IPAexMincho",
    "IPAMincho",
    "Noto Serif CJK JP",
    "Noto Sans CJK JP",
    "IPAexGothic",
    "IPAGothic",
)
INSTALL_HINT = N_(
    "Install one, e.g. `sudo apt-get install fonts-ipaexfont-mincho` (or fonts-noto-cjk), "
    "or name an installed font with --font."
)


class FontNotFound(KenpoError):
    """Raised when no font with Japanese glyphs is installed, or --font names one that is not."""


@lru_cache(maxsize=None)
def japanese_families() -> tuple[str, ...]:
    """Family names of installed fonts that cover Japanese, as fontconfig reports them."""
    if shutil.which("fc-list") is None:
        raise FontNotFound(_("fontconfig (fc-list) is not installed, so no Japanese font can be found. "
                             "Install it with `sudo apt-get install fontconfig`. {hint}").format(hint=_(INSTALL_HINT)))
    output = subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True,
                            check=False, timeout=30).stdout
    families: list[str] = []
    for line in output.splitlines():
        for name in line.split(","):
            name = name.strip()
            if name and name not in families:
                families.append(name)
    return tuple(families)


def choose_font(requested: str | None = None) -> str:
    """The font family to render with: the requested one if it covers Japanese, else the best installed."""
    families = japanese_families()
    if requested:
        for family in families:
            if family.casefold() == requested.casefold():
                return family
        shown = listing(families[:8]) or _("none")
        raise FontNotFound(_("font '{requested}' is not an installed font with Japanese glyphs. "
                             "Installed Japanese fonts: {shown}. {hint}")
                           .format(requested=requested, shown=shown, hint="" if families else _(INSTALL_HINT)))
    for preferred in PREFERRED:
        if preferred in families:
            return preferred
    if families:
        return families[0]
    raise FontNotFound(_("no font with Japanese glyphs is installed, so the PDF would show empty boxes. {hint}")
                       .format(hint=_(INSTALL_HINT)))
