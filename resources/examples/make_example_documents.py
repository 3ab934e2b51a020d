"""Regenerate the example application's short PDFs (run from the repository root).

    python resources/examples/make_example_documents.py
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

HERE = Path(__file__).resolve().parent / "application"

SECTIONS = {
    "consultation": "1. Local consultation",
    "outcomes": "2. How the change brings better outcomes",
    "capability": "3. Local capability",
    "risk": "4. Risk to children, mitigations and safeguards",
    "monitoring": "5. Monitoring and local accountability",
    "evaluation": "6. Evaluation",
}


def main() -> None:
    app = tomllib.loads((HERE / "application.toml").read_text(encoding="utf-8"))
    styles = getSampleStyleSheet()
    out = HERE / "documents"
    out.mkdir(exist_ok=True)
    for doc in app["documents"]:
        story = [Paragraph(doc["title"], styles["Title"]),
                 Paragraph(f"{app['authority']} (a fictional authority)", styles["Heading3"]),
                 Spacer(1, 12)]
        for feature in doc["features"]:
            story.append(Paragraph(SECTIONS[feature], styles["Heading2"]))
            story.append(Paragraph(app["features"][feature], styles["BodyText"]))
            story.append(Spacer(1, 8))
        if doc["path"].endswith("application.pdf"):
            story.append(Paragraph("Provisions", styles["Heading2"]))
            for p in app["provisions"]:
                story.append(Paragraph(f"{p['enactment']}, {p['reference']}: {p['change']}. {p['replacement']}",
                                       styles["BodyText"]))
        target = HERE / doc["path"]
        SimpleDocTemplate(str(target), pagesize=A4, title=doc["title"], author=app["authority"],
                          invariant=1).build(story)
        print(target)


if __name__ == "__main__":
    main()
