"""Small in-browser checks shared by the accessibility tests."""


def tab_to(page, selector: str, *, key: str = "Tab", limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (keyboard only, no click)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never received the focus after {limit} presses of {key}")


def focus_outline(page) -> dict:
    """The computed outline of the focused element."""
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return {style: style.outlineStyle, width: parseFloat(style.outlineWidth),
                    color: style.outlineColor, tag: document.activeElement.outerHTML.slice(0, 80)};
        }"""
    )


STRUCTURE = """() => {
    const count = s => document.querySelectorAll(s).length;
    const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
        .map(h => Number(h.tagName[1]));
    const skips = [];
    levels.forEach((level, i) => {
        if (i > 0 && level > levels[i - 1] + 1) skips.push(`h${levels[i - 1]} -> h${level}`);
    });
    return {
        lang: document.documentElement.lang,
        banner: count('body > header'), main: count('main'), contentinfo: count('body > footer'),
        nav: count('nav'), h1: count('h1'), first: levels[0], skips,
        switcher: [...document.querySelectorAll('form.languages button')]
            .map(b => [b.value, b.lang]),
    };
}"""

TOO_SMALL = """() => {
    const bad = [];
    const selector = ['a', 'button', 'input', 'select', 'textarea', 'summary']
        .flatMap(tag => [`header ${tag}`, `main ${tag}`]).join(', ');
    for (const el of document.querySelectorAll(selector)) {
        if (el.type === 'hidden') continue;
        const choice = el.type === 'radio' || el.type === 'checkbox';
        const box = choice ? el.closest('label') || el : el;
        const r = box.getBoundingClientRect();
        if (r.right <= 0 || r.bottom <= 0 || (r.width === 0 && r.height === 0)) continue;
        if (r.width < 43.5 || r.height < 43.5) {
            const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
            bad.push(`${el.outerHTML.slice(0, 90)} is ${size}`);
        }
    }
    return bad;
}"""

SMALL_TEXT = """() => {
    const bad = [];
    const body = parseFloat(getComputedStyle(document.body).fontSize);
    if (body < 16) bad.push(`body is ${body}px`);
    for (const el of document.querySelectorAll(
        'main p, main li, main label, main legend, main dd, main dt, main input, main select, '
        + 'main textarea, main button, main a, header a, header button')) {
        if (['hidden', 'radio', 'checkbox'].includes(el.type)) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < 16) bad.push(`${el.outerHTML.slice(0, 80)} is ${size}px`);
    }
    return bad;
}"""
