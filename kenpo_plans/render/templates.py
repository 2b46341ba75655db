"""Templates: where they are found, and the sandbox an office's own templates run in.

The documents are HTML from jinja2 templates (autoescape on).  ``--template-dir`` lets an office use
its own copy of templates/; such a template is code from outside the tool, so it renders in jinja2's
immutable sandbox with no globals and a loader that cannot leave the folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import KenpoError
from ..i18n import _
from ..resources import data_dir

DEFAULT_TEMPLATE = "shinkyu.html.j2"  # the 新旧対照表; each other document names its own


class TemplateError(KenpoError):
    """Raised when a template directory or template cannot be used (missing file, jinja2 syntax error, a
    template that breaks the sandbox's rules or leads outside its folder)."""


def template_dir(option: str | Path | None, template: str = DEFAULT_TEMPLATE) -> Path:
    folder = Path(option) if option else data_dir("templates")
    if not (folder / template).is_file():
        raise TemplateError(_("template directory {folder} has no {template}; copy the default templates/ "
                              "folder and edit it, or leave out --template-dir.")
                            .format(folder=folder, template=template))
    return folder.resolve()


def render_html(context: dict, folder: Path, template: str = DEFAULT_TEMPLATE) -> str:
    from jinja2 import TemplateError as JinjaError
    from jinja2 import UndefinedError
    from jinja2.sandbox import SecurityError

    env = template_environment(folder)
    try:
        return env.get_template(template).render(**context)
    except (SecurityError, OverflowError) as exc:
        raise TemplateError(_("{template}: the template tried something templates may not do ({error}); "
                              "templates only lay out the text they are given.")
                            .format(template=template, error=exc)) from exc
    except UndefinedError as exc:
        if Path(folder).resolve() == data_dir("templates").resolve():
            raise  # our own template and context disagree: a bug, not the user's to fix
        raise TemplateError(_("{template} in {folder} asks for something this version of kenpo-plans does not "
                              "give it ({error}): it was probably copied from an older version. Copy the current "
                              "templates/{template} (and its .css) and make your changes to it again.").format(
                                  template=template, folder=folder, error=exc)) from exc
    except JinjaError as exc:
        where = f"{getattr(exc, 'filename', None) or template}:{getattr(exc, 'lineno', '?')}"
        raise TemplateError(_("{where}: template error: {error}").format(where=where, error=exc)) from exc


_ENVIRONMENTS: dict[Path, object] = {}


def template_environment(folder: Path):
    """A sandboxed jinja2 environment that loads only files really inside ``folder``, built once per folder.

    An office's own template is code from outside the tool: the sandbox refuses attribute tricks
    (``__globals__``, ``__subclasses__``), the globals are emptied so nothing but the context is
    reachable, and the loader refuses any file that resolves outside the folder (a symlink out).
    """
    folder = Path(folder).resolve()
    env = _ENVIRONMENTS.get(folder)
    if env is None:
        from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

        env = ImmutableSandboxedEnvironment(loader=_ConfinedLoader(folder), autoescape=True, trim_blocks=True,
                                            lstrip_blocks=True)
        env.globals.clear()
        env.globals["range"] = safe_range  # the built-in templates' one helper, its length capped
        env.filters["css_string"] = css_string
        _ENVIRONMENTS[folder] = env
    return env


def _confined_loader_class():
    from jinja2 import FileSystemLoader, TemplateNotFound

    class ConfinedLoader(FileSystemLoader):
        def __init__(self, folder: Path):
            super().__init__(str(folder))
            self.folder = folder

        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            if not Path(filename).resolve().is_relative_to(self.folder):
                raise TemplateError(_("{template} in {folder} leads outside the template folder "
                                      "(to {target}); templates are read from the folder only.")
                                    .format(template=template, folder=self.folder, target=Path(filename).resolve()))
            if not Path(filename).resolve().is_file():
                raise TemplateNotFound(template)
            return source, filename, uptodate

    return ConfinedLoader


def _ConfinedLoader(folder: Path):
    return _confined_loader_class()(folder)


def css_string(value: str) -> str:
    """A value safe inside a CSS double-quoted string (font names come from the command line)."""
    return re.sub(r'[^\w \-\u3000-\u9fff\uff00-\uffef]', "", value)
