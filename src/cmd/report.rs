pub fn run(_a: &crate::flags::ReportArgs, _g: &crate::flags::GlobalArgs) -> anyhow::Result<()> {
    Err(crate::error::usage("report: not yet"))
}
