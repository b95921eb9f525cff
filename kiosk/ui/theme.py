"""Look of the kiosk: one QSS template filled from a palette and metrics per theme.

Every colour and every font size the window uses lives here.  Widget code only
sets ``role`` / state properties (``role="primary"``, ``tone="ok"``,
``invalid="true"``) and the template decides how they look — so the elder and
high-contrast themes restyle the whole window by swapping tokens, and an
accessibility test can compute contrast from the same tokens the QSS uses.

Sizes are pixels at 1080p; the kiosk screen is 1920×1080.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from string import Template

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

THEME_NAMES = ("standard", "elder", "contrast")


@dataclass(frozen=True)
class Palette:
    background: str  # the screen behind the cards
    surface: str  # cards, inputs, secondary buttons
    surface_alt: str  # pressed secondary buttons, keypad panel, quiet bands
    border: str
    text: str
    muted: str  # secondary text; still ≥ 4.5:1 on background and surface
    primary: str
    primary_pressed: str
    on_primary: str
    link: str  # text of secondary buttons (primary-coloured text on surface)
    header: str
    on_header: str
    header_button: str
    help: str  # the 呼叫导服 button: warm, easy to find
    on_help: str
    selected: str  # a chosen option
    on_selected: str
    danger: str  # error text on surface / background
    danger_surface: str
    on_danger_surface: str
    success_surface: str
    on_success_surface: str
    later_surface: str  # the "not yet — do this first" verdict: neither yes nor no
    on_later_surface: str
    badge_1: str  # home tile badges; all carry on_badge text
    badge_2: str
    badge_3: str
    badge_4: str
    on_badge: str
    scrim: str  # behind overlays, with alpha
    focus: str


@dataclass(frozen=True)
class Metrics:
    body: int  # ordinary text
    small: int  # hints, help lines (never under 18 px)
    button: int
    title: int  # a screen's title
    subtitle: int
    tile: int  # home tile labels
    display: int  # the countdown digits, the verdict mark
    answer: int  # consultation Yes / No buttons
    touch: int  # minimum height of anything tappable
    key: int  # keypad key height
    radius: int
    border_width: int  # input and button borders
    keyboard: int  # the on-screen keyboard's width: its keys grow with it
    candidate: int  # Pinyin candidates on the keyboard's top row


@dataclass(frozen=True)
class Theme:
    name: str
    palette: Palette
    metrics: Metrics

    def tokens(self) -> dict[str, str]:
        values = {k: str(v) for k, v in asdict(self.palette).items()}
        values.update({k: f"{v}px" for k, v in asdict(self.metrics).items()})
        values["answer_height"] = f"{self.metrics.touch * 2}px"
        values["tile_height"] = f"{self.metrics.touch * 3}px"
        values["half_radius"] = f"{self.metrics.radius // 2}px"
        values["badge_size"] = f"{self.metrics.touch + 24}px"
        values["step_size"] = f"{self.metrics.touch * 2 // 3}px"
        values["hall_size"] = f"{self.metrics.subtitle + 4}px"
        values["question_size"] = f"{self.metrics.title * 5 // 4}px"
        values["ticket_size"] = f"{self.metrics.display * 2}px"  # the number on the done screen
        return values

    def stylesheet(self, font_family: str) -> str:
        tokens = self.tokens()
        tokens["font_family"] = font_family
        return Template(QSS_TEMPLATE).substitute(tokens)

    def for_staff(self) -> Theme:
        """The staff panel's look: these colours at the standard sizes."""
        return replace(self, name=f"{self.name}-staff", metrics=STANDARD.metrics)

    def apply_to(self, window: QWidget, font_family: str) -> None:
        """Style a window: the QSS, plus the one colour QSS cannot set (placeholder text)."""
        palette = window.palette()
        palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(self.palette.muted))
        # QPdfView paints around its pages with Dark (QSS cannot reach it): a quiet band.
        palette.setColor(QPalette.ColorRole.Dark, QColor(self.palette.surface_alt))
        window.setPalette(palette)
        window.setStyleSheet(self.stylesheet(font_family))

    def text_pairs(self) -> dict[str, tuple[str, str]]:
        """Every (text colour, background) pairing the template uses, by name."""
        p = self.palette
        return {
            "text on background": (p.text, p.background),
            "text on surface": (p.text, p.surface),
            "muted on background": (p.muted, p.background),
            "muted on surface": (p.muted, p.surface),
            "muted on surface_alt": (p.muted, p.surface_alt),
            "link on surface": (p.link, p.surface),
            "link on surface_alt": (p.link, p.surface_alt),
            "text on surface_alt": (p.text, p.surface_alt),
            "on_primary on primary": (p.on_primary, p.primary),
            "on_primary on primary_pressed": (p.on_primary, p.primary_pressed),
            "primary on on_primary": (p.primary, p.on_primary),
            "primary on surface": (p.primary, p.surface),
            "on_header on header": (p.on_header, p.header),
            "on_header on header_button": (p.on_header, p.header_button),
            "on_help on help": (p.on_help, p.help),
            "on_selected on selected": (p.on_selected, p.selected),
            "danger on surface": (p.danger, p.surface),
            "danger on background": (p.danger, p.background),
            "on_danger_surface on danger_surface": (p.on_danger_surface, p.danger_surface),
            "on_success_surface on success_surface": (p.on_success_surface, p.success_surface),
            "on_later_surface on later_surface": (p.on_later_surface, p.later_surface),
            **{
                f"on_badge on badge_{n}": (p.on_badge, getattr(p, f"badge_{n}"))
                for n in (1, 2, 3, 4)
            },
        }


_CALM = Palette(
    background="#F2F4F7",
    surface="#FFFFFF",
    surface_alt="#E8EDF3",
    border="#C9D2DE",
    text="#17202B",
    muted="#4A5666",
    primary="#1652A0",
    primary_pressed="#0F3F7D",
    on_primary="#FFFFFF",
    link="#1652A0",
    header="#0E3768",
    on_header="#FFFFFF",
    header_button="#1B4B85",
    help="#F6C343",
    on_help="#2B2100",
    selected="#1652A0",
    on_selected="#FFFFFF",
    danger="#B3261E",
    danger_surface="#FBE9E7",
    on_danger_surface="#7A1C16",
    success_surface="#E3F3E8",
    on_success_surface="#155A2C",
    later_surface="#FFF1D6",
    on_later_surface="#6B3E00",
    badge_1="#1652A0",
    badge_2="#0E6F68",
    badge_3="#A34F08",
    badge_4="#6A3BB5",
    on_badge="#FFFFFF",
    scrim="rgba(10, 24, 44, 0.62)",
    focus="#E89E00",
)

STANDARD = Theme(
    "standard",
    _CALM,
    Metrics(
        body=22,
        small=19,
        button=24,
        title=40,
        subtitle=24,
        tile=34,
        display=88,
        answer=44,
        touch=68,
        key=84,
        radius=16,
        border_width=2,
        keyboard=1100,
        candidate=34,
    ),
)

# Elder (长辈模式): the same calm colours, everything 1.5× (body 33 px, nothing under 28 px,
# targets ≥ 100 px, keys and keyboard too), and slightly darker secondary text.
ELDER = Theme(
    "elder",
    Palette(**{**asdict(_CALM), "muted": "#3A4554", "text": "#0F1720"}),
    Metrics(
        body=33,
        small=29,
        button=36,
        title=60,
        subtitle=36,
        tile=51,
        display=132,
        answer=66,
        touch=102,
        key=120,
        radius=20,
        border_width=3,
        keyboard=1560,
        candidate=51,
    ),
)

CONTRAST = Theme(
    "contrast",
    Palette(
        background="#000000",
        surface="#000000",
        surface_alt="#1A1A1A",
        border="#FFFFFF",
        text="#FFFFFF",
        muted="#E6E6E6",
        primary="#FFE500",
        primary_pressed="#FFF176",
        on_primary="#000000",
        link="#FFE500",
        header="#000000",
        on_header="#FFFFFF",
        header_button="#000000",
        help="#FFE500",
        on_help="#000000",
        selected="#FFE500",
        on_selected="#000000",
        danger="#FF8A80",
        danger_surface="#000000",
        on_danger_surface="#FF8A80",
        success_surface="#000000",
        on_success_surface="#8CF5A6",
        later_surface="#000000",
        on_later_surface="#FFD180",
        badge_1="#FFE500",
        badge_2="#FFE500",
        badge_3="#FFE500",
        badge_4="#FFE500",
        on_badge="#000000",
        scrim="rgba(0, 0, 0, 0.85)",
        focus="#00E5FF",
    ),
    ELDER.metrics,
)

THEMES: dict[str, Theme] = {t.name: t for t in (STANDARD, ELDER, CONTRAST)}


def theme(name: str) -> Theme:
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; use one of {', '.join(THEMES)}") from None


# ── contrast (WCAG 2.x) ──
def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    text = colour.lstrip("#")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# One template for every theme.  $tokens come from Theme.tokens(); widgets pick rules
# through the dynamic properties role / tone / invalid / checked.
QSS_TEMPLATE = """
* { font-family: "$font_family"; }
QWidget#KioskWindow, QStackedWidget#Screens, QWidget[role="screen"] { background: $background; }
QWidget { color: $text; font-size: $body; }
QLabel { background: transparent; color: $text; font-size: $body; }
QLabel[role="title"] { font-size: $title; font-weight: bold; }
QLabel[role="question"] { font-size: $question_size; font-weight: bold; }
QLabel[role="subtitle"] { font-size: $subtitle; color: $muted; }
QLabel[role="section"] { font-size: $subtitle; font-weight: bold; }
QLabel[role="muted"] { color: $muted; }
QLabel[role="small"] { color: $muted; font-size: $small; }
QLabel[role="field"] { font-size: $body; font-weight: bold; }
QLabel[role="link"] { color: $link; font-weight: bold; }
QLabel[role="error"] { color: $danger; font-size: $body; font-weight: bold; }
QLabel[role="display"] { font-size: $display; font-weight: bold; color: $primary; }
QLabel[role="ticket"] { font-size: $ticket_size; font-weight: bold; color: $primary; }
QLabel[role="code"] { font-size: $title; font-weight: bold; }
QLabel[role="badge"] {
    color: $on_badge; font-size: $tile; font-weight: bold; border-radius: $radius;
    min-width: $badge_size; max-width: $badge_size;
    min-height: $badge_size; max-height: $badge_size;
    qproperty-alignment: AlignCenter;
}
QLabel[role="badge"][tone="1"] { background: $badge_1; }
QLabel[role="badge"][tone="2"] { background: $badge_2; }
QLabel[role="badge"][tone="3"] { background: $badge_3; }
QLabel[role="badge"][tone="4"] { background: $badge_4; }
QLabel[role="check"] {
    background: $surface; color: $on_selected; border: $border_width solid $muted;
    border-radius: $half_radius; font-weight: bold; qproperty-alignment: AlignCenter;
    min-width: $step_size; max-width: $step_size; min-height: $step_size; max-height: $step_size;
}
QLabel[role="check"][state="on"], QLabel[role="check"][state="locked"] {
    background: $selected; border-color: $selected;
}
QLabel[role="step"] {
    background: $primary; color: $on_primary; font-weight: bold; border-radius: $half_radius;
    min-width: $step_size; max-width: $step_size; min-height: $step_size; max-height: $step_size;
    qproperty-alignment: AlignCenter;
}

QFrame#Header { background: $header; }
QFrame#Header QLabel { color: $on_header; }
QLabel#HallName { font-size: $hall_size; font-weight: bold; }
QLabel#Clock { font-size: $body; }

QFrame[role="card"] {
    background: $surface; border: 1px solid $border; border-radius: $radius;
}
QFrame[role="band"] { background: $surface_alt; border-radius: $radius; }
QFrame[role="banner"][tone="ok"] { background: $success_surface; border-radius: $radius; }
QFrame[role="banner"][tone="ok"] QLabel { color: $on_success_surface; }
QFrame[role="banner"][tone="no"] { background: $danger_surface; border-radius: $radius; }
QFrame[role="banner"][tone="no"] QLabel { color: $on_danger_surface; }
QFrame[role="banner"][tone="info"] { background: $surface_alt; border-radius: $radius; }
QFrame[role="banner"][tone="later"] { background: $later_surface; border-radius: $radius; }
QFrame[role="banner"][tone="later"] QLabel { color: $on_later_surface; }

QPushButton {
    background: $surface; color: $link; font-size: $button; font-weight: bold;
    min-height: $touch; min-width: $touch; padding: 0 28px;
    border: $border_width solid $border; border-radius: $radius;
}
QPushButton:pressed { background: $surface_alt; }
QPushButton:focus { outline: none; }
QPushButton:disabled { color: $muted; background: $surface_alt; border-color: $surface_alt; }
QPushButton[role="primary"] {
    background: $primary; color: $on_primary; border-color: $primary; padding: 0 48px;
}
QPushButton[role="primary"]:pressed { background: $primary_pressed; }
QPushButton[role="primary"]:disabled { background: $surface_alt; color: $muted; }
QPushButton[role="nav"] { color: $text; }
QPushButton[role="header"] {
    background: $header_button; color: $on_header; border-color: $on_header;
    font-size: $body; min-height: $touch; padding: 0 22px;
}
QPushButton[role="help"] {
    background: $help; color: $on_help; border-color: $help; font-size: $body; padding: 0 26px;
}
QPushButton[role="tile"], QPushButton[role="row"] {
    background: $surface; border: 1px solid $border; border-radius: $radius; text-align: left;
    color: $text; padding: 0;
}
QPushButton[role="tile"] { min-height: $tile_height; }
QPushButton[role="tile"][tone="primary"] { background: $primary; border-color: $primary; }
QPushButton[role="tile"][tone="primary"]:pressed { background: $primary_pressed; }
QPushButton[role="tile"][tone="primary"] QLabel { color: $on_primary; }
QPushButton[role="tile"][tone="primary"] QLabel[role="badge"] {
    background: $on_primary; color: $primary;
}
QPushButton[role="tile"]:pressed, QPushButton[role="row"]:pressed { background: $surface_alt; }
QPushButton[role="tile"] QLabel[role="tile"] { font-size: $tile; font-weight: bold; }
QPushButton[role="row"] QLabel[role="row"] { font-size: $subtitle; font-weight: bold; }
QPushButton[role="choice"] { color: $text; font-weight: normal; }
QPushButton[role="choice"]:checked {
    background: $selected; color: $on_selected; border-color: $selected; font-weight: bold;
}
QPushButton[role="row"]:checked { border: $border_width solid $selected; background: $surface_alt; }
QPushButton[role="row"]:disabled { background: $surface_alt; border-color: $surface_alt; }
QPushButton[role="tab"] { color: $text; font-weight: normal; }
QPushButton[role="tab"]:checked {
    background: $selected; color: $on_selected; border-color: $selected; font-weight: bold;
}
QPushButton[role="level"] {
    color: $text; font-size: $subtitle; min-height: $answer_height; padding: 0 12px;
}
QPushButton[role="level"]:checked {
    background: $selected; color: $on_selected; border-color: $selected;
}
QPushButton[role="answer"] {
    font-size: $answer; min-height: $answer_height; border-radius: $radius;
    background: $primary; color: $on_primary; border-color: $primary;
}
QPushButton[role="answer"]:pressed { background: $primary_pressed; }
QPushButton[role="answer"] QLabel[role="answer"] {
    color: $on_primary; font-size: $answer; font-weight: bold;
}
QPushButton[role="key"] {
    background: $surface; color: $text; font-size: $title; min-height: $key;
    border: 1px solid $border; padding: 0;
}
QPushButton[role="key"]:pressed { background: $surface_alt; }
QPushButton[role="key"][size="compact"] { min-height: $touch; font-size: $button; }
QPushButton[role="key"][fitted="true"] { min-height: 0px; min-width: 0px; }
QPushButton[role="key"][small="true"] { font-size: $button; }
QPushButton[role="key"][tone="action"] { font-size: $button; color: $link; }
QPushButton[role="key"][tone="done"] {
    font-size: $button; background: $primary; color: $on_primary; border-color: $primary;
}
QPushButton[role="key"][tone="done"]:pressed { background: $primary_pressed; }
QPushButton[role="key"]:disabled { color: $muted; background: $surface_alt; }

QLineEdit, QPlainTextEdit {
    background: $surface; color: $text; font-size: $subtitle;
    border: $border_width solid $border; border-radius: $half_radius; padding: 6px 16px;
    selection-background-color: $selected; selection-color: $on_selected;
    placeholder-text-color: $muted;
}
QLineEdit { min-height: $touch; }
QLineEdit[role="code"] { font-size: $title; font-weight: bold; }
QLineEdit[role="number"] { font-size: $title; letter-spacing: 2px; }
QLineEdit[role="number"][dense="true"] { font-size: $subtitle; letter-spacing: 0px; }
QPushButton[role="picker"] {
    background: $surface; color: $text; font-size: $subtitle; font-weight: normal;
    text-align: left; padding: 6px 16px; border-radius: $half_radius;
}
QPushButton[role="picker"][empty="true"] { color: $link; }
QPushButton[role="picker"][invalid="true"] { border-color: $danger; }
QLineEdit:focus, QPlainTextEdit:focus { border-color: $primary; }
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] { border-color: $danger; }
QLineEdit[shown_only="true"], QPlainTextEdit[shown_only="true"] {
    background: $surface_alt; border-color: $surface_alt; color: $text;
}

QScrollArea, QWidget#qt_scrollarea_viewport, QWidget#ScrollBody {
    background: transparent; border: none;
}
QScrollBar#Position:vertical {
    background: $surface_alt; width: 10px; border-radius: 5px; margin: 0;
}
QScrollBar#Position::handle:vertical { background: $muted; border-radius: 5px; min-height: 60px; }
QScrollBar#Position::add-line, QScrollBar#Position::sub-line { height: 0; }
QScrollBar#Position::add-page, QScrollBar#Position::sub-page { background: none; }

QWidget#Scrim { background: $scrim; }
QFrame#Dialog { background: $surface; border: $border_width solid $border; border-radius: $radius; }
QFrame#Keypad { background: $surface_alt; border-radius: $radius; }
QFrame#InputDock { background: $surface_alt; border-top: $border_width solid $border; }
QFrame#InputDock QFrame#Keypad { background: transparent; }
QPushButton[role="header"][state="on"] { background: $on_header; color: $header; }
QPdfView { background: $surface_alt; border: none; }
QWidget#Spinner { color: $primary; }
QFrame#Toast { background: $header; border-radius: $radius; }
QFrame#Toast QLabel { color: $on_header; }

QFrame#StaffBand { background: $help; }
QFrame#StaffBand QLabel { color: $on_help; }
QLabel[role="tag"] {
    background: $surface_alt; color: $link; font-size: $small; font-weight: bold;
    border-radius: $half_radius; padding: 2px 12px;
}
"""
