"""The demo workspace: three fictional applications, their documents, and the people who advise on them."""
