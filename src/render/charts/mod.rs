//! Charts as SVG or PNG (plotters), text set in the bundled DejaVu Sans so
//! a chart looks the same on every machine.
//!
//! Every chart keeps its legend and the source line below the plot, so
//! neither covers a figure; the municipality, its peers and the national
//! median have the same colours in every chart; a break in a series (a new
//! method) is a dashed vertical line the series do not cross.

mod bars;
mod canvas;
mod lines;
mod panels;
mod scatter;
mod waterfall;

pub(crate) use bars::{bars_svg, Bar, Bars, Member};
pub(crate) use lines::kpi_trend;
pub(crate) use panels::{panels_svg, Panel, Panels};
pub(crate) use scatter::{scatter, Scatter};
pub(crate) use waterfall::{waterfall_svg, Step, Waterfall};

pub(crate) use canvas::{ChartFormat, Role};
