"""Publishing machinery: from the analyses to the reports readers open, and back again.

=========================  ===========================================================================
:mod:`~.parameters`        notebook parameters: declared once, checked the same way everywhere
:mod:`~.notebooks`         execute with papermill, normalise, render offline HTML
:mod:`~.reporting`         presentation precision, figures with captions, CSV outputs, provenance
:mod:`~.figures`           figures shared by the reports (the tile-grid map of the regions)
:mod:`~.site`              the landing page and the replication page
:mod:`~.replication`       REPLICATION.md, generated from the notebooks and the data
:mod:`~.build`             ``python -m kzresearch.publish.build``: data and every report
:mod:`~.runner`            ``kzresearch run``: one notebook with one's own parameters
:mod:`~.verify`            ``kzresearch verify``: rebuild and compare byte for byte
:mod:`~.differences`       what differs between a committed output and its rebuild
=========================  ===========================================================================
"""
