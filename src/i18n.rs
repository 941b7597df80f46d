//! Chinese and English (中文 / English): every string the UI and the charts show comes from the
//! table in this module, and numbers and dates are formatted per language here.
//!
//! Pure Rust, tested natively; the UI picks the language, the charts take it as a parameter.

use crate::engine::calendar::{Day, Month};
use crate::engine::deciles::GroupKind;
use crate::engine::error::{
    BinaryKind, ChartProblem, ContentPart, CountUnit, Error, FitModel, FormatProblem,
    FormatSubject, FractionOf, InvalidContent, ItemProblem, ModelProblem, ParameterProblem,
    RowError, RowProblem,
};
use crate::engine::formats::TableProblem;
use crate::engine::ingest::columns::Role;
use crate::engine::ingest::{default_column_name, Concern, SummaryRole};
use crate::engine::rfm::{NameLanguage, RfmCsvLabels, ValueTier, OTHER_ZH};
use crate::engine::swot::{
    HintKind, Quadrant, SwotCsvLabels, SwotHint, TowsQuadrant, DEFAULT_US_NAME,
};
use crate::engine::vocabulary::swot_column_zh;
use crate::engine::workspace::{WorkspacePart, WorkspaceProblem};
use chrono::Datelike;

/// The two UI languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// 简体中文 (zh-CN), the default when the browser prefers Chinese.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// BCP 47 tag for the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a stored tag or a browser language (`zh`, `zh-CN`, `zh-TW`, `en-US` …).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let lower = tag.to_ascii_lowercase();
        if lower.starts_with("zh") {
            Some(Lang::Zh)
        } else if lower.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language for a browser's preference list: Chinese when any preferred language is
    /// Chinese and comes before English, else English.
    pub fn from_preferences<'a>(languages: impl IntoIterator<Item = &'a str>) -> Lang {
        languages
            .into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or(Lang::En)
    }

    /// The other language (for the switch).
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Zh => "中文",
            Lang::En => "English",
        }
    }
}

macro_rules! texts {
    ($($key:ident => $zh:expr, $en:expr;)*) => {
        /// A translatable string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum Text { $($key,)* }

        impl Text {
            /// Every text, for completeness tests.
            pub const ALL: &'static [Text] = &[$(Text::$key,)*];

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( (Text::$key, Lang::Zh) => $zh, (Text::$key, Lang::En) => $en, )*
                }
            }
        }
    };
}

texts! {
    AppName => "客户价值工作台", "ValueLens";
    AppTagline => "订单、客户与评分数据的十分位、RFM 与 SWOT 分析", "Deciles, RFM and SWOT from your orders, customers and scores";
    PrivacyFooter => "数据只在本机浏览器中处理", "Your data never leaves this browser";
    PrivacyDetail => "没有服务器，没有上传，没有统计脚本：分析全部在这台电脑的浏览器里完成。", "No server, no upload, no analytics: every computation runs in this browser on this computer.";
    LanguageSwitch => "切换语言", "Switch language";
    NavData => "数据", "Data";
    NavDeciles => "十分位", "Deciles";
    NavRfm => "RFM", "RFM";
    NavSwot => "SWOT", "SWOT";
    NavReport => "报告", "Report";
    DropTitle => "把 CSV 文件拖到这里", "Drop a CSV file here";
    DropHint => "支持 .csv、.tsv、.txt、Excel .xlsx 和 Parquet；自动识别编码（UTF-8、GBK、Big5、UTF-16）和分隔符。也可以直接粘贴从 Excel 复制的单元格。", "Accepts .csv, .tsv, .txt, Excel .xlsx and Parquet; the encoding (UTF-8, GBK, Big5, UTF-16) and delimiter are detected. You can also paste cells copied from Excel.";
    ChooseFile => "选择文件…", "Choose a file…";
    LoadSample => "试用示例数据", "Try the sample data";
    SampleNote => "示例：约 600 位客户两年内约 5,000 笔订单（含退货），固定随机种子生成。", "Sample: about 5,000 orders of about 600 customers over two years (returns included), generated from a fixed seed.";
    DropAnywhere => "松开鼠标即可导入", "Release to import";
    Reading => "正在读取", "Reading";
    Cancel => "取消", "Cancel";
    Cancelled => "导入已取消，之前的数据保持不变。", "Import cancelled; the data loaded before is unchanged.";
    RowsPerSecond => "行/秒", "rows/s";
    ImportFailed => "无法导入", "Could not import";
    PreviousDataKept => "之前载入的数据没有变化。", "The data loaded before is unchanged.";
    MappingTitle => "导入设置", "Import settings";
    MappingHint => "请检查自动识别的结果；修改后点击“按此设置导入”。", "Check what was detected; change anything and press “Import with these settings”.";
    MappingNeeded => "有些设置需要您确认后才能导入。", "Some settings need your decision before the import can run.";
    ImportNow => "按此设置导入", "Import with these settings";
    Encoding => "编码", "Encoding";
    Delimiter => "分隔符", "Delimiter";
    HeaderRow => "第一行是表头", "First row is a header";
    DecimalSeparator => "小数点", "Decimal separator";
    DateOrder => "日期顺序", "Date order";
    DateOrderAmbiguous => "日期如 05/01/2024 无法判断是日/月还是月/日，请选择。", "Dates such as 05/01/2024 could be day/month or month/day: please choose.";
    DayFirst => "日/月/年", "day/month/year";
    MonthFirst => "月/日/年", "month/day/year";
    PointDecimal => "点 (1,234.5)", "point (1,234.5)";
    CommaDecimal => "逗号 (1.234,5)", "comma (1.234,5)";
    Comma => "逗号 ,", "comma ,";
    Semicolon => "分号 ;", "semicolon ;";
    Tab => "制表符", "tab";
    Pipe => "竖线 |", "pipe |";
    Whitespace => "空格对齐", "aligned spaces";
    ColumnRole => "用途", "Role";
    Confidence => "可信度", "Confidence";
    RoleNone => "（不使用）", "(not used)";
    RoleCustomer => "客户编号", "Customer ID";
    RoleOrder => "订单号", "Order ID";
    RoleDate => "订单日期", "Order date";
    RoleAmount => "销售额", "Sales amount";
    RoleProfit => "利润", "Profit";
    RoleQuantity => "数量", "Quantity";
    Required => "必填", "required";
    FromHeader => "按表头", "from header";
    FromValues => "按数值", "from values";
    EvidenceBom => "字节顺序标记 (BOM)", "byte-order mark";
    EvidenceNul => "UTF-16 字节模式", "UTF-16 byte pattern";
    EvidenceUtf8 => "有效的 UTF-8", "valid UTF-8";
    EvidenceConfident => "自动检测（可信）", "detected (confident)";
    EvidenceUnsure => "自动检测（不确定，请核对）", "detected (unsure: please check)";
    EvidenceUser => "手动选择", "your choice";
    OverviewTitle => "数据概览", "Data overview";
    File => "文件", "File";
    RowsRead => "读取行数", "Rows read";
    RowsRejected => "拒绝行数", "Rows rejected";
    Customers => "客户数", "Customers";
    Orders => "订单数", "Orders";
    TotalSales => "销售额合计", "Total sales";
    TotalProfit => "利润合计", "Total profit";
    AverageOrderValue => "平均客单价", "Average order value";
    RepeatRate => "复购率", "Repeat-purchase rate";
    Margin => "利润率", "Margin";
    Period => "时间范围", "Period";
    ReturnRows => "退货行（已冲减）", "Return rows (netted)";
    NoProfitColumn => "未映射利润列：利润相关的图表和分组不可用。", "No profit column is mapped: profit figures and views are off.";
    NoDateColumn => "未映射日期列：最近一次消费与同期比较不可用。", "No date column is mapped: recency and period comparisons are off.";
    RejectedTitle => "被拒绝的行", "Rejected rows";
    RejectedHint => "这些行不计入任何分析。下面列出前 100 行；可下载全部。", "These rows are left out of every analysis. The first 100 are listed; download all of them.";
    DownloadRejected => "下载被拒绝的行 (CSV)", "Download rejected rows (CSV)";
    Line => "行号", "Line";
    Column => "列", "Column";
    Value => "内容", "Value";
    Reason => "原因", "Reason";
    CustomersTitle => "客户汇总", "Customers";
    CustomerId => "客户", "Customer";
    Sales => "销售额", "Sales";
    Profit => "利润", "Profit";
    FirstPurchase => "首次购买", "First purchase";
    LastPurchase => "最近购买", "Last purchase";
    Search => "搜索客户…", "Search customers…";
    PagePrev => "上一页", "Previous";
    PageNext => "下一页", "Next";
    PageOf => "页，共", "of";
    MonthlySalesTitle => "每月净销售额", "Net sales per month";
    Month => "月份", "Month";
    NoDataTitle => "还没有数据", "No data yet";
    NoDataHint => "请先在“数据”页导入 CSV 文件或试用示例数据。", "Import a CSV file or try the sample data on the Data page first.";
    GoToData => "去导入数据", "Go to Data";
    LoadingApp => "正在加载…", "Loading…";
    Working => "正在分析…", "Analysing…";
    SampleName => "示例数据", "Sample data";
    Yes => "是", "yes";
    No => "否", "no";
    ErrorWorker => "后台处理线程出错，已重新启动。", "The background worker failed and was restarted.";
    PasteDetected => "已粘贴的单元格", "Pasted cells";
    DecilesTitle => "购买十分位分析", "Purchase decile analysis";
    DecilesIntro => "把客户按销售额（或利润）从高到低排序，分成人数相等的十组；再把销售额切成十等份，看每 10% 需要多少客户。", "Customers ranked by sales (or profit), largest first, in ten groups of equal size; and total sales cut into ten equal slices, with the number of customers each takes.";
    Gini => "基尼系数", "Gini coefficient";
    GiniNote => "0 = 人人相同，1 = 全部来自一位客户", "0 = everyone equal, 1 = all from one customer";
    Pareto80 => "贡献 80% 销售额的客户占比", "Customers making 80 % of sales";
    BySales => "按销售额", "by sales";
    ByProfit => "按利润", "by profit";
    Basis => "排序依据", "Ranked";
    CustomerDecilesTitle => "客户十分位", "Customer deciles";
    DecileColumn => "组别", "Decile";
    SalesShare => "销售额占比", "Share of sales";
    ProfitShare => "利润占比", "Share of profit";
    CumulativeShare => "累计占比", "Cumulative";
    ValueDecilesTitle => "价值十分位：每 10% 的销售额需要多少客户", "Value deciles: how many customers make each 10 % of sales";
    ValueDecilesProfitTitle => "价值十分位：每 10% 的利润需要多少客户", "Value deciles: how many customers make each 10 % of profit";
    Slice => "区间", "Slice";
    CumulativeCustomers => "累计客户数", "Customers so far";
    CustomerShare => "客户占比", "Share of customers";
    DecileChartTitle => "各十分位的销售额与利润占比", "Share of sales and profit per decile";
    GroupsTitle => "客户分组", "Customer groups";
    GroupRetain => "保持客户", "Retain";
    GroupGrow => "发展客户", "Grow";
    GroupDeclining => "衰退客户", "Declining";
    GroupTransaction => "交易客户", "Transaction customers";
    GroupRetainNote => "贡献前 10% 销售额的客户：关系管理的首要对象，目标是留住他们。", "The customers who make the first 10 % of sales: the first target of relationship management; keep them.";
    GroupGrowNote => "构成 40%–50% 销售额的客户：可能同时在竞争对手处购买，目标是提高钱包份额。", "The customers who make up the 40–50 % slice of sales: they probably also buy from competitors; win a larger share of their wallet.";
    GroupDecliningNote => "仍然盈利但销售额明显下降的客户：先分析原因，通常不再投入额外的关系管理费用。", "Still profitable, but buying clearly less: analyse why; usually not worth extra relationship spend.";
    GroupTransactionNote => "利润率低且购买次数少的客户：只在乎价格，不是关系管理的对象。", "Low margin and few orders: they care only about price; not a target of relationship management.";
    GroupNoDate => "没有日期列，无法比较两个时期。", "No date column: the two periods cannot be compared.";
    GroupNoProfit => "没有利润列，此分组不可用。", "No profit column: this group is off.";
    GroupNoPositiveSales => "销售额合计不为正，无法按占比分组。", "Total sales are not positive: shares cannot be cut.";
    Parameters => "参数", "Parameters";
    ParametersNote => "每个阈值都可以修改，结果随之更新。", "Every threshold can be changed; the results follow.";
    ResetDefaults => "恢复默认值", "Reset to defaults";
    ParamAnalysisDate => "分析日期", "Analysis date";
    ParamPeriod => "每期长度（月）", "Period length (months)";
    ParamDecline => "衰退：销售额下降至少（%）", "Declining: sales down at least (%)";
    ParamRetain => "保持：前多少销售额（%）", "Retain: first share of sales (%)";
    ParamGrowFrom => "发展：累计销售额从（%）", "Grow: cumulative sales from (%)";
    ParamGrowTo => "发展：到（%）", "Grow: to (%)";
    ParamMarginDeciles => "交易客户：利润率最低的几个十分位", "Transaction: lowest margin deciles";
    ParamMaxOrders => "交易客户：最多订单数", "Transaction: at most this many orders";
    ExportCsv => "导出 CSV", "Export CSV";
    Overshoot => "累计曲线超过了 100%：排在后面的客户有亏损或退货，抵消了一部分合计。", "The cumulative curve passes 100 %: customers further down the ranking have losses or returns that offset part of the total.";
    BelowZero => "累计曲线低于 0%：排在前面的客户合计为负。", "The cumulative curve dips below 0 %: the customers ranked first add up to a negative amount.";
    NoProfitForDeciles => "没有利润列：只能按销售额分析。", "No profit column: only the sales view is available.";
    LorenzTitle => "洛伦兹曲线", "Lorenz curve";
    GroupsChartTitle => "客户分组一览", "Customer groups at a glance";
    DownloadSvg => "下载 SVG 矢量图", "Download as SVG";
    DownloadPng => "下载 PNG 图片", "Download as PNG";
    ReportTitle => "客户价值分析报告", "Customer value analysis";
    ReportCoverTitle => "报告标题", "Report title";
    ReportClient => "客户单位", "Client";
    ReportPending => "“{0}”一节仍在后台计算，完成后会出现在这里。", "The section “{0}” is still being computed in the background; it appears here when it is ready.";
    ReportAnalyst => "分析人", "Analyst";
    ReportDate => "报告日期", "Report date";
    PrintReport => "打印 / 存为 PDF", "Print / save as PDF";
    SaveReportHtml => "保存为单个 HTML 文件", "Save as one HTML file";
    ExecutiveSummary => "执行摘要", "Executive summary";
    MethodNotes => "方法说明", "Method notes";
    // The overview, the deciles, the customer table and the report's text (crate::present::{overview,
    // deciles, customers, report}): sentence templates, `{0}` … filled by `present::sentence`.
    SummaryIntroPeriod => "本报告分析了“{0}”：{1}至{2}期间 {3} 位客户的 {4} 笔订单，净销售额 {5}。", "This report analyses “{0}”: {4} orders of {3} customers from {1} to {2}, with net sales of {5}.";
    SummaryIntro => "本报告分析了“{0}”：{1} 位客户的 {2} 笔订单，净销售额 {3}。", "This report analyses “{0}”: {2} orders of {1} customers, with net sales of {3}.";
    SummaryProfit => "利润合计 {0}，利润率 {1}。", "Profit totals {0}, a margin of {1}.";
    SummaryConcentration => "销售额集中度：销售额最高的 10% 客户贡献了 {0} 的销售额；{1} 的客户贡献了 80% 的销售额；基尼系数为 {2}。", "Concentration: the top 10 % of customers make {0} of sales; {1} of customers make 80 % of sales; the Gini coefficient is {2}.";
    SummaryGroups => "客户分组：{0}。", "Groups: {0}.";
    SummaryGroupRetain => "{0} 位保持客户贡献了前 {1} 的销售额", "{0} retain customers make the first {1} of sales";
    SummaryGroupGrow => "{0} 位发展客户构成 {1}–{2} 的销售额区间", "{0} grow customers make up the {1}–{2} slice";
    SummaryGroupDeclining => "{0} 位客户仍盈利但销售额下降至少 {1}（衰退）", "{0} still profitable customers are down at least {1} (declining)";
    SummaryGroupTransaction => "{0} 位是交易客户", "{0} are transaction customers";
    ListSeparator => "；", "; ";
    SummaryRepeatRate => "复购率（两笔及以上订单的客户占比）为 {0}。", "The repeat-purchase rate (customers with two or more orders) is {0}.";
    SummaryAllRows => "文件的 {0} 行数据全部计入分析；{1} 行退货已按客户冲减。", "All {0} data rows of the file are in the analysis; {1} return rows are netted per customer.";
    SummaryRejectedRows => "文件共 {0} 行数据，其中 {1} 行因数据问题未计入（见方法说明）；{2} 行退货已按客户冲减。", "Of the file's {0} data rows, {1} were left out for data problems (see the method notes); {2} return rows are netted per customer.";
    NoteHeaderRow => "表头", "Header row";
    NoteRowsRejected => "拒绝行数（未计入分析）", "Rows rejected (not in any figure)";
    NoteMapping => "列映射", "Column mapping";
    NoteMappingValue => "客户 = {0}；订单 = {1}；日期 = {2}；金额 = {3}；利润 = {4}", "customer = {0}; order = {1}; date = {2}; amount = {3}; profit = {4}";
    NotePeriods => "比较期（衰退）", "Compared periods (declining)";
    NotePeriodsValue => "最近 {0} 个月（{1}）对比上 {0} 个月（{2}），按整月", "latest {0} months ({1}) against the {0} months before ({2}), whole months";
    NoteDeciles => "十分位", "Deciles";
    NoteDecilesValue => "客户按销售额（或利润）从高到低排序，金额相同按客户编号排序；十组人数相等（最多相差一人，多出的在前）；占比按带符号的合计计算", "customers ranked by sales (or profit), largest first, equal values by customer id; ten groups of equal size (differing by at most one, larger groups first); shares of the signed totals";
    NoteRetainValue => "累计贡献前 {0} 销售额的客户（跨过分界的客户计入）", "customers making the first {0} of sales (the one crossing the cut included)";
    NoteGrowValue => "累计销售额落在 {0}–{1} 区间的客户", "customers whose cumulative sales fall in the {0}–{1} band";
    NoteDecliningValue => "最近一期仍盈利，且销售额比上一期下降至少 {0}", "profitable in the latest period and sales down at least {0} on the previous period";
    NoteTransactionValue => "利润率在最低的 {0} 个十分位内，且订单数不超过 {1}", "margin in the lowest {0} margin decile(s) and at most {1} order(s)";
    NotePrivacy => "隐私", "Privacy";
    NotePrivacyValue => "全部计算在本机浏览器中完成，数据没有发送到任何服务器。", "Every figure was computed in the browser on this computer; no data was sent to any server.";
    DateSpan => "{0} – {1}", "{0} – {1}";
    AnalysisDateNote => "分析日期：{0}", "Analysis date: {0}";
    DecileLabel => "第 {0} 组", "D{0}";
    DecileChartTitleBasis => "{0}（{1}）", "{0} ({1})";
    GroupPeriods => "最近一期 {0}，与上一期 {1} 比较。", "Latest period {0}, compared with the previous period {1}.";
    GroupMarginLimit => "利润率不高于 {0} 且订单数不超过 {1}。", "Margin at most {0} and at most {1} orders.";
    PreviousPeriodSales => "上一期销售额", "Previous period sales";
    LatestPeriodSales => "最近一期销售额", "Latest period sales";
    PeriodChange => "变化", "Change";
    RejectedTitleCount => "被拒绝的行（{0}）", "Rejected rows ({0})";
    RunawayQuoteOne => "第 {0} 行开始的引号没有闭合，连同其后共 {1} 行被读成了一个单元格，这些行没有作为数据行计入，整条记录已列为被拒绝的行。如果这个引号是误录入的，请按普通字符重新读取。", "A quote opened on line {0} is never closed where its cell should end: {1} lines were read as one cell, not as rows, and that record is listed among the rejected rows. If the quote is a typo, read the file again with quotes as plain characters.";
    RunawayQuotesMany => "有 {2} 处引号没有闭合（第一处在第 {0} 行），共 {1} 行被读成了单元格，这些行没有作为数据行计入，相应记录已列为被拒绝的行。如果这些引号是误录入的，请按普通字符重新读取。", "{2} quotes are left open (the first on line {0}): {1} lines were read as cells, not as rows, and those records are listed among the rejected rows. If the quotes are typos, read the file again with quotes as plain characters.";
    PageStatus => "第 {0} / {1} 页 · {2} 位客户", "Page {0} of {1} · {2} customers";
    RfmTitle => "RFM 分析", "RFM analysis";
    RfmIntro => "R = 最近一次消费距分析日期的天数，F = 消费频率（订单数），M = 消费金额；按分位数打分，5 分最好，相同数值得分相同。", "R = days since the last purchase, F = number of orders, M = money spent; scored by quantiles, 5 = best, equal values get equal scores.";
    Bins => "分档数", "Score bins";
    MonetaryBasis => "消费金额 M", "Monetary M";
    MonetaryTotal => "净销售额合计", "total net sales";
    MonetaryAov => "平均客单价", "average order value";
    SegmentSummaryTitle => "客户分群", "Segments";
    Segment => "分群", "Segment";
    SuggestedAction => "建议行动", "Suggested action";
    MeanR => "平均 R（天）", "Mean R (days)";
    MeanF => "平均 F", "Mean F";
    MeanM => "平均 M", "Mean M";
    Revenue => "收入", "Revenue";
    RevenueShare => "收入占比", "Share of revenue";
    ThresholdsTitle => "评分阈值（实际使用）", "Score thresholds (as used)";
    Score => "得分", "Score";
    Range => "取值范围", "Range";
    Axis => "维度", "Axis";
    UnevenBins => "相同数值使各档人数不均：{0}：{1}", "Ties make the bins uneven: {0}: {1}";
    ValueTiers => "价值分层", "Value tiers";
    TierHigh => "高价值客户", "High value";
    TierMedium => "中价值客户", "Medium value";
    TierLow => "低价值客户", "Low value";
    RulesTitle => "分群规则", "Segment rules";
    RulesNote => "按顺序匹配，第一个符合的规则生效；可以改名、改范围、排序、增删，修改保存在本机浏览器中。", "Rules are matched in order, the first that fits wins; rename, change ranges, reorder, add or delete: changes are saved in this browser.";
    AddRule => "添加规则", "Add a rule";
    RulesCoverageOk => "每个 (R, F, M) 组合恰好属于一个分群。", "Every (R, F, M) cell belongs to exactly one segment.";
    RulesOverlaps => "重叠的格子（{0}）：{1}", "Overlapping cells ({0}): {1}";
    RulesGaps => "未覆盖的格子（{0}，客户计入“其他”）：{1}", "Cells no rule covers ({0}; customers go to “Other”): {1}";
    NameZh => "中文名", "Chinese name";
    NameEn => "英文名", "English name";
    ScoredCustomersTitle => "客户评分", "Scored customers";
    RfmNeedsDates => "RFM 需要日期列来计算最近一次消费。请在导入设置中映射日期列。", "RFM needs a date column for recency. Map a date column in the import settings.";
    Histograms => "R、F、M 分布", "Distributions of R, F and M";
    Days => "天", "days";
    // The RFM and SWOT presentation (present::rfm, present::swot): lines, titles and sentences;
    // {0}, {1} … are filled by present::sentence.
    RfmFacts => "分析日期：{0} · 分档数：{1} · 消费金额 M：{2}", "Analysis date: {0} · Score bins: {1} · Monetary M: {2}";
    TierNote => "{0} · 收入占比 {1}", "{0} · share of revenue {1}";
    SegmentOther => "其他", "Other";
    NewSegmentName => "分群 {0}", "Segment {0}";
    ScoredCustomersFile => "rfm-客户评分", "rfm-scored-customers";
    HistogramRTitle => "R：距最近一次消费的天数", "R: days since the last purchase";
    HistogramRAxis => "天数", "days";
    HistogramFTitle => "F：订单数", "F: orders";
    HistogramFAxis => "订单数", "orders";
    HistogramMTitle => "M：消费金额", "M: money spent";
    HistogramMAxis => "金额", "amount";
    ReportRfmSegment => "{0} {1} 位（收入占比 {2}）", "{0}: {1} customers ({2} of revenue)";
    ReportRfmSegments => "RFM 分群中收入最多的是：{0}。", "The RFM segments with the most revenue: {0}.";
    NoteRfm => "分析日期 {0}；{1} 档分位数评分（最高档最好，相同数值同分）；F = 订单数；M = {2}；分群规则 {3} 条，按顺序匹配{4}", "analysis date {0}; {1} quantile bins (highest = best, equal values score equally); F = orders; M = {2}; {3} segment rules matched in order{4}";
    NoteRfmPartition => "，每个组合恰好属于一个分群", ", every cell in exactly one segment";
    NoteRfmGaps => "，存在重叠或未覆盖的组合（未覆盖的客户计入“其他”）", ", with overlaps or gaps (customers in none count as Other)";
    SwotQuadrantTotal => "合计 {0}", "Total {0}";
    SwotQuadrantMeans => " · 平均 {0} · 加权得分 {1}", " · Mean {0} · Weighted {1}";
    SwotSpread => "{0} 评分人 · {1}–{2} · σ {3}", "{0} respondents · {1}–{2} · σ {3}";
    SwotWeightShare => " · 权重 {0}", " · Weight {0}";
    SwotQuadrantHeading => "{0} · 合计 {1}", "{0} · Total {1}";
    TowsLine => "{0} · {1}：{2}", "{0} · {1}: {2}";
    ReportSwotScores => "SWOT 打分：优势 {0}、劣势 {1}、机会 {2}、威胁 {3}；战略定位 {4}（{5}）。", "SWOT scores: strengths {0}, weaknesses {1}, opportunities {2}, threats {3}; strategic position {4} ({5}).";
    NoteSwot => "每项 1–10 分，多位评分人取平均；象限合计为各项得分之和；定位 x = 优势 − 劣势，y = 机会 − 威胁（按合计）", "each item scored 1–10, several respondents averaged; a quadrant's total is the sum of its items; position x = S − W, y = O − T (totals)";
    SwotTitle => "SWOT 分析打分", "SWOT scoring";
    SwotIntro => "逐项列出优势、劣势、机会、威胁，每项按 10 分制打分，按象限合计；对竞争对手做同样的打分并比较。", "List strengths, weaknesses, opportunities and threats, score every item out of 10 and add up each quadrant; score the competitors the same way and compare.";
    Strengths => "优势 S", "Strengths";
    Weaknesses => "劣势 W", "Weaknesses";
    Opportunities => "机会 O", "Opportunities";
    Threats => "威胁 T", "Threats";
    Item => "条目", "Item";
    Weight => "权重", "Weight";
    ParamNameBins => "分档数", "score bins";
    ParamNameDate => "订单日期", "order date";
    ParamNameScore => "评分", "score";
    ParamNameBasis => "排序依据", "basis";
    ParamNameSegmentRules => "分群规则表", "segment rules";
    ParamNameBoard => "评分板", "board";
    ParamNameItem => "条目", "item";
    ParamNameName => "名称", "name";
    ParamNameText => "文字", "text";
    ParamNameWeight => "权重", "weight";
    ParamNameId => "编号", "id";
    ParamNameConcentration => "集中度上限（份额）", "concentration share";
    ParamNameBroadBase => "客户基础分散度下限（份额）", "broad-base share";
    ParamNameRepeatStrong => "复购率高的界限", "strong repeat rate";
    ParamNameRepeatWeak => "复购率低的界限", "weak repeat rate";
    ParamNameMarginHigh => "利润率高的界限", "high margin";
    ParamNameMarginLow => "利润率低的界限", "low margin";
    ParamNameReturnsShare => "退货占比界限", "returns share";
    ParamNameAddonThreshold => "换购增购：销售额增长至少", "add-on: sales growth at least";
    ParamNameAtRiskDays => "有流失风险：未购买天数", "at risk: days without a purchase";
    ParamNameLapseDays => "已流失：未购买天数", "lapsed: days without a purchase";
    ParamNameCohortGrain => "同期群周期", "cohort period";
    ParamNameHistory => "购买日记录", "purchase days";
    ParamNamePeriodAStart => "期间 A 开始", "period A start";
    ParamNamePeriodAEnd => "期间 A 结束", "period A end";
    ParamNamePeriodBStart => "期间 B 开始", "period B start";
    ParamNamePeriodBEnd => "期间 B 结束", "period B end";
    ParamNameMigrationFirstDay => "迁移：第一个分析日期", "migration: first analysis date";
    ParamNameMigrationSecondDay => "迁移：第二个分析日期", "migration: second analysis date";
    ParamNameTopDeciles => "前几个十分位", "top deciles";
    ParamNameCalibrationEnd => "校准期结束日期", "calibration end";
    ParamNameHorizon => "预测期长度", "horizon";
    ParamNameDiscountRate => "年贴现率", "annual discount rate";
    Total => "合计", "Total";
    Mean => "平均", "Mean";
    WeightedTotal => "加权得分", "Weighted";
    AddItem => "添加", "Add";
    NewItemPlaceholder => "新条目…", "New item…";
    Competitors => "竞争对手", "Competitors";
    AddCompetitor => "添加竞争对手", "Add a competitor";
    RemoveBoard => "删除此对手", "Remove this competitor";
    BoardName => "名称", "Name";
    ComparisonTitle => "竞争对手比较（各象限合计）", "Comparison with competitors (quadrant totals)";
    StrongerNote => "标色的格子：该对手比我方更强（优势、机会更高，或劣势、威胁更低）。", "Highlighted cells: the competitor is stronger than us there (higher strengths or opportunities, lower weaknesses or threats).";
    PositionTitle => "战略定位", "Strategic position";
    PositionNone => "我方还没有打分条目，无法定位。", "Our board has no scored item yet: no position.";
    PositionBasisTotals => "按合计", "by totals";
    PositionBasisWeighted => "按加权得分", "by weighted scores";
    SwotImportCsv => "导入 SWOT CSV…", "Import SWOT CSV…";
    SwotExportCsv => "导出 CSV", "Export CSV";
    SwotClear => "清空全部打分", "Clear all boards";
    SwotCsvHelp => "列：quadrant（象限：S/W/O/T 或 优势/劣势/机会/威胁）、item（条目）、score（1–10），可选 weight（权重）、respondent（评分人）、competitor（竞争对手）。", "Columns: quadrant (S/W/O/T, 优势/劣势/机会/威胁 or 優勢/劣勢/機會/威脅), item, score (1–10), optional weight, respondent, competitor.";
    SwotImported => "已导入：读取 {0} 行，拒绝 {1} 行 · 编码 {2}", "Imported: {0} rows read, {1} rejected · encoding {2}";
    HintsTitle => "来自客户数据的建议条目", "Suggested items from the customer data";
    HintsNote => "点击“添加”才会加入我方打分表，可再修改分数。", "Nothing is added until you click “Add”; adjust the score afterwards.";
    Respondents => "评分人", "respondents";
    SavedInBrowser => "打分表自动保存在本机浏览器中。", "The boards are saved in this browser automatically.";
    WorkspaceTitle => "工作区", "Workspace";
    WorkspaceNote => "工作区文件保存列映射、全部参数、分群规则、SWOT 打分表，以及（勾选时）每位客户的汇总数据。上次的工作会自动保存在本机浏览器中，重新打开页面时恢复。", "A workspace file keeps the column mapping, every parameter, the segment rules, the SWOT boards and, if ticked, the per-customer figures. The last session is also kept in this browser and comes back after a reload.";
    SaveWorkspace => "保存工作区…", "Save workspace…";
    OpenWorkspace => "打开工作区…", "Open workspace…";
    IncludeData => "包含客户汇总数据", "Include the customer figures";
    ForgetEverything => "清除本机上的全部数据", "Forget everything on this computer";
    Forgotten => "已清除本机浏览器中保存的全部数据。", "Everything stored in this browser was deleted.";
    SessionRestored => "已恢复上次的工作", "Last session restored";
    WorkspaceOpened => "已打开工作区", "Workspace opened";
    AllFigures => "全部十分位占比（精确值）", "Every decile share (exact values)";
    ColumnByNumber => "按列号指定（超出上表的列）", "Assign by column number (columns beyond the table)";
    ColumnNumber => "列号", "Column number";
    DismissNotice => "知道了", "Dismiss";
    Quotes => "引号", "Quotes";
    QuotesStandard => "标准 CSV（引号内可含逗号和换行）", "Standard CSV (commas and line breaks inside quotes)";
    QuotesLiteral => "按普通字符读取（每行一条记录）", "Plain characters (every line is a row)";
    ReadQuotesLiterally => "引号按普通字符重新读取", "Read again with quotes as plain characters";
    ChartDecileAxis => "客户十分位（第1组 = 销售额最高的 10% 客户）", "Customer decile (D1 = top 10 % of customers by sales)";
    ChartShareOfSales => "销售额占比", "Share of sales";
    ChartShareOfProfit => "利润占比", "Share of profit";
    ChartCumulativeSales => "累计销售额占比", "Cumulative share of sales";
    ChartCumulativeCustomers => "客户累计占比（由小到大）", "Cumulative share of customers (smallest first)";
    ChartCumulativeSalesAxis => "销售额累计占比", "Cumulative share of sales";
    ChartEquality => "完全平均", "Equality";
    ChartLorenzCurve => "洛伦兹曲线", "Lorenz curve";
    ChartGroupsTitle => "客户分组一览（销售额占比）", "Customer groups at a glance (share of sales)";
    ChartHeatmapTitle => "R×F 热力图（格内：平均消费金额 / 客户数）", "R × F heatmap (cell: mean M / customers)";
    ChartFScoreAxis => "F 分（消费频率，5 = 最频繁）", "F score (frequency, 5 = most frequent)";
    ChartRScoreAxis => "R 分（最近一次消费，5 = 最近）", "R score (recency, 5 = most recent)";
    ChartSegmentSharesTitle => "各分群的客户与收入占比", "Share of customers and revenue per segment";
    ChartShareOfCustomers => "客户占比", "Share of customers";
    ChartShareOfRevenue => "收入占比", "Share of revenue";
    ChartTreemapTitle => "客户分群树图（面积 = 客户数）", "Segment treemap (area = customers)";
    ChartCustomers => "客户数", "Customers";
    ChartSwotTotalsTitle => "我方与竞争对手的 SWOT 得分", "SWOT totals: us and the competitors";
    ChartPositionTitle => "战略定位（TOWS）", "Strategic position (TOWS)";
    ChartInternalAxis => "内部：优势 − 劣势", "Internal: strengths − weaknesses";
    ChartExternalAxis => "外部：机会 − 威胁", "External: opportunities − threats";
    ChartSwotQuadrantS => "优势 S", "Strengths";
    ChartSwotQuadrantW => "劣势 W", "Weaknesses";
    ChartSwotQuadrantO => "机会 O", "Opportunities";
    ChartSwotQuadrantT => "威胁 T", "Threats";
    ChartTowsSO => "SO 增长型", "SO aggressive";
    ChartTowsST => "ST 多元化", "ST diversify";
    ChartTowsWO => "WO 扭转型", "WO turnaround";
    ChartTowsWT => "WT 防御型", "WT defensive";
    MainNavigation => "主导航", "Main navigation";
    CurrentData => "当前数据", "Current data";
    ChartDataTable => "查看数据表", "Show the data table";
    ScrollableTable => "表格（可左右滚动）", "Table (scrolls sideways)";
    SwotBoards => "打分表", "Boards";
    NewItemScore => "新条目的评分（1–10）", "Score of the new item (1–10)";
    DescMonthlySales => "柱状图：每个月的净销售额，按时间从左到右排列。", "Bar chart of the net sales of each month, the earliest month on the left.";
    DescDecileShares => "柱状图：按消费额从高到低把客户分成十组，每组占总额的比例；折线为累计占比。", "Bar chart: customers in ten equal groups from the highest spenders down, and the share of the total each group brings; the line is the running total.";
    DescLorenz => "洛伦兹曲线：客户累计占比与销售额累计占比；曲线离对角线越远，销售越集中在少数客户。", "Lorenz curve: the cumulative share of customers against the cumulative share of sales; the further the curve bows from the diagonal, the more the sales rest on a few customers.";
    DescGroups => "条形图：每个客户分组的客户数及其销售额占比。", "Bar chart: the number of customers in each group and the share of sales they bring.";
    DescRfHeatmap => "热力图：最近消费（R）评分与消费频次（F）评分交叉的每一格，颜色越深，格内客户的平均消费金额（M）越高；格内数字为平均消费金额与客户数。", "Heat map of the recency score (R) against the frequency score (F): the darker the cell, the higher its customers' mean spend (M); each cell gives the mean M and the number of customers.";
    DescSegmentBars => "条形图：每个客户分群的客户占比与销售额占比。", "Bar chart: each segment's share of the customers and share of the revenue.";
    DescSegmentTreemap => "矩形树图：每个客户分群一块，面积表示其规模。", "Treemap: one tile per segment, its area showing the segment's size.";
    DescHistogram => "直方图：该指标各取值区间内的客户数。", "Histogram: the number of customers in each range of this measure.";
    DescSwotComparison => "柱状图：我方与各竞争对手在优势、劣势、机会、威胁四个象限的合计得分。", "Bar chart: the quadrant totals (strengths, weaknesses, opportunities, threats) of us and of each competitor.";
    DescSwotPosition => "散点图：横轴为优势减劣势，纵轴为机会减威胁；每个点是一张打分表，所在象限即战略类型。", "Scatter chart: strengths minus weaknesses across, opportunities minus threats up; each point is a board, and its quadrant names the strategy.";
    CustomerShareShort => "客户累计占比", "Cumulative share of customers";
    ValueShareShort => "销售额累计占比", "Cumulative share of sales";
    RangeLabel => "区间", "Range";
    RuleNumber => "规则 {0} · {1}", "Rule {0} · {1}";
    RangeFrom => "最低分", "lowest score";
    RangeTo => "最高分", "highest score";
    FindingMonthly => "共 {0} 个月，最高的是 {1}（{2}）。", "{0} months; the highest is {1} ({2}).";
    FindingDeciles => "第 1 组贡献了 {0} 的销售额，前 2 组合计 {1}。", "The first group brings {0} of sales, the first two together {1}.";
    FindingLorenz => "{0} 的客户贡献了 80% 的销售额；基尼系数为 {1}。", "{0} of the customers make 80% of sales; the Gini coefficient is {1}.";
    FindingSegments => "收入最多的分群是“{0}”：客户占 {1}，收入占 {2}。", "The segment with the most revenue is “{0}”: {1} of the customers, {2} of the revenue.";
    DataTableName => "数据表", "data table";
    RowActions => "操作", "Actions";
    SwotLoadExample => "载入示例打分表（我方与两个竞争对手）", "Load an example (us and two competitors)";
    SwotComparisonEmpty => "还没有任何打分：在打分表中添加条目，或载入示例，即可在此比较我方与竞争对手。", "Nothing is scored yet: add items to a board, or load the example, to compare us with the competitors here.";
    NavLifecycle => "生命周期", "Lifecycle";
    LcTitle => "客户生命周期", "Customer lifecycle";
    LcIntro => "谁留下了、谁在离开、谁又回来了、谁从哪一档移到了哪一档：按周期统计活跃、新增、保留与流失，按首购月份看同期群，用购买间隔判断流失，并比较两个时期。", "Who is staying, who is leaving, who came back, and who moved where: active, new, retained and lost customers per period, cohorts by the month of the first purchase, lapse judged from the time between purchases, and two periods compared.";
    LcNeedsHistory => "生命周期分析需要每位客户的各个购买日期。这份工作区保存时没有这些日期：请重新导入订单文件。", "The lifecycle analysis needs every customer's purchase days. This workspace was saved without them: import the order file again.";
    LcNeedsDates => "生命周期分析需要购买日期：在导入的列映射中指定日期列后重新导入。", "The lifecycle analysis needs purchase dates: map a date column when importing, and import again.";
    LcGrainMonth => "月", "month";
    LcGrainQuarter => "季度", "quarter";
    LcGrainYear => "年", "year";
    LcFacts => "数据从 {0} 到 {1}；分析日期 {2}（不含当天）；周期：{3}。{4}{5}", "Data from {0} to {1}; analysis date {2} (not included); periods: {3}. {4} {5}";
    LcPartialLeftOut => "数据只覆盖一部分的周期（标 *）照常计数，但它和它之后一个周期的比率不计算。", "Periods the data covers only in part (marked *) are counted, but their rates, and those of the period after them, are left out.";
    LcPartialIncluded => "数据只覆盖一部分的周期（标 *）也计算比率：请谨慎解读。", "Periods the data covers only in part (marked *) have their rates computed too: read them with care.";
    LcReturnsCount => "只有退货的日子也算活跃。", "Days with returns only count as activity.";
    LcReturnsDoNotCount => "只有退货的日子不算活跃。", "Days with returns only do not count as activity.";
    LcOf => "{0} / {1}", "{0} of {1}";
    LcInPeriod => "周期 {0}", "in {0}";
    LcActive => "活跃客户", "Active customers";
    LcNew => "新客户", "New customers";
    LcReturning => "保留客户", "Returning customers";
    LcReactivated => "回流客户", "Reactivated customers";
    LcLost => "流失客户", "Lost customers";
    LcRetention => "客户保留率", "Retention rate";
    LcChurn => "客户流失率", "Churn rate";
    LcRevenueRetention => "收入保留率", "Revenue retention";
    LcRepeatRate => "重复购买率", "Repeat-purchase rate";
    LcPerActive => "人均订单数与销售额", "Orders and sales per active customer";
    LcOrdersPerActive => "人均订单数", "Orders per active customer";
    LcSalesPerActive => "人均销售额", "Sales per active customer";
    LcAddon => "换购增购（近似指标）", "Add-on / upgrade (a proxy)";
    LcAddonSales => "增购：销售额增长", "Add-on: sales grew";
    LcAddonQuantity => "增购：数量增长", "Add-on: quantity grew";
    LcDefActive => "本周期至少有一天购买（不只是退货）的客户。", "Customers with at least one purchase day (not only returns) in the period.";
    LcDefNew => "第一次购买发生在本周期的客户。", "Customers whose first purchase falls in the period.";
    LcDefReturning => "上一周期和本周期都活跃的客户。", "Customers active in both the previous period and this one.";
    LcDefReactivated => "上一周期没有购买、更早买过、本周期又回来购买的客户。", "Customers active in this period, not in the previous one, but before it.";
    LcDefLost => "上一周期活跃、本周期没有购买的客户。", "Customers active in the previous period and not in this one.";
    LcDefRetention => "两个周期都活跃的客户 ÷ 上一周期的活跃客户。", "Customers active in both periods ÷ customers active in the previous period.";
    LcDefChurn => "1 − 客户保留率：上一周期的活跃客户中本周期没有再买的比例。", "1 − retention: the share of the previous period's active customers who did not buy again in this one.";
    LcDefRevenueRetention => "上一周期活跃客户在本周期的净销售额 ÷ 他们上一周期的净销售额（可超过 100%）。", "The previous period's active customers' net sales in this period ÷ their net sales in the previous period (can exceed 100%).";
    LcDefRepeatRate => "本周期活跃客户中，在本周期下了至少 2 笔订单的比例。", "The share of the period's active customers with at least 2 orders in the period.";
    LcDefPerActive => "本周期的订单数与净销售额，除以活跃客户数。", "The period's orders and net sales divided by its active customers.";
    LcDefAddon => "保留客户中销售额（或数量）比上一周期增长至少设定幅度的比例；文档所说的换购增购指买得更好、买得更多，这里只是它的近似。", "Among retained customers, the share whose sales (or quantity) grew by at least the threshold over the previous period; the documents mean trading up and buying more, and this is only a proxy for it.";
    LcPeriod => "周期", "Period";
    LcPartialMark => "* 数据只覆盖一部分", "* covered only in part";
    LcPartialColumn => "部分覆盖", "Partial";
    LcPreviousActive => "上一周期活跃客户", "Active in the previous period";
    LcRetainedSales => "保留客户本期销售额", "Retained customers' sales";
    LcPreviousSales => "上一周期活跃客户的销售额", "Previous active customers' sales then";
    LcActivityTitle => "各周期的活跃客户与保留率", "Active customers and retention per period";
    DescLcActivity => "堆叠柱状图：每个周期的活跃客户分为新客户、保留客户和回流客户；折线为客户保留率（右轴）。", "Stacked bars: each period's active customers split into new, returning and reactivated; the line is the retention rate (right axis).";
    FindingLcActivity => "{0}：活跃客户 {1}，保留率 {2}，新客户 {3}。", "{0}: {1} active customers, retention {2}, {3} new customers.";
    LcCohortTitle => "同期群（按首购周期）", "Cohorts by the period of the first purchase";
    DescLcCohort => "热力图：每一行是在同一周期首次购买的客户，每一列是此后第 k 个周期，颜色和数字为该群在那个周期的活跃占比（或每位原始客户的销售额）；空白格为数据尚未覆盖的周期。", "Heat map: each row is the customers who first bought in the same period, each column the k-th period after it; colour and number give the cohort's share active in that period (or its sales per original customer); blank cells lie after the data ends.";
    FindingLcCohort => "{0} 个同期群在首购后的下一个周期平均有 {1} 的客户再次购买。", "In the period after their first, {0} cohorts kept {1} of their customers buying, on average.";
    LcCurvesTitle => "各同期群的保留曲线", "Retention curves by cohort";
    DescLcCurves => "折线图：每条线是一个同期群，横轴为首购后的周期数，纵轴为仍在购买的客户占比；粗线为所有同期群的平均。", "Line chart: one line per cohort, periods since the first purchase across, the share still buying up; the bold line is the mean of all cohorts.";
    LcSince => "首购后的{0}数", "{0}s since the first purchase";
    LcCohortAxis => "首购周期", "Cohort";
    LcCohortSize => "客户数", "Customers";
    LcCohortShare => "活跃占比", "Share active";
    LcCohortSales => "每位原始客户的销售额", "Sales per original customer";
    LcSmallCohort => "* 少于 {0} 位客户", "* fewer than {0} customers";
    LcMeanOfCohorts => "所有同期群的平均", "Mean of all cohorts";
    LcSmallColumn => "小同期群", "Small cohort";
    LcK => "首购后周期数", "Periods since first";
    LcObserved => "覆盖情况", "Observed";
    LcDays => "{0} 天", "{0} days";
    LcMedianGap => "购买间隔中位数", "Median time between purchases";
    LcQ1 => "购买间隔下四分位", "Lower quartile";
    LcQ3 => "购买间隔上四分位", "Upper quartile";
    LcP90 => "购买间隔第 90 百分位", "90th percentile";
    LcGapCount => "{0} 个间隔，来自 {1} 位至少买过两天的客户", "{0} gaps from {1} customers who bought on at least two days";
    LcLapseThreshold => "流失阈值", "Lapsed after";
    LcAtRiskThreshold => "风险阈值", "At risk after";
    LcSuggestedNote => "建议值：购买间隔的第 90 百分位，向上取整（可修改）", "Suggested: the 90th percentile of the gaps, rounded up (editable)";
    LcGivenNote => "由您设定；建议值为 {0} 天", "Set by you; the suggestion is {0} days";
    LcGivenNoSuggestion => "由您设定", "Set by you";
    LcAtRiskSuggestedNote => "建议值：购买间隔的上四分位，向上取整（可修改）", "Suggested: the upper quartile of the gaps, rounded up (editable)";
    LcGapTitle => "购买间隔分布", "Time between purchases";
    DescLcGap => "直方图：同一客户相邻两个购买日之间相隔的天数（同一天的多笔订单算一次购买）；竖线为中位数、风险阈值和流失阈值。", "Histogram of the days between a customer's consecutive purchase days (several orders on one day are one purchase); the lines mark the median and the at-risk and lapse thresholds.";
    FindingLcGaps => "一半的再次购买发生在 {0} 天之内；超过 {1} 天没有购买的客户视为流失。", "Half of the repeat purchases come within {0} days; customers with no purchase for more than {1} days count as lapsed.";
    LcGapDays => "相隔天数", "Days between purchases";
    LcGaps => "间隔数", "Gaps";
    LcStatus => "状态", "Status";
    LcStatusActive => "活跃", "Active";
    LcStatusAtRisk => "有流失风险", "At risk";
    LcStatusLapsed => "已流失", "Lapsed";
    LcRecency => "距分析日期天数", "Days since last purchase";
    LcLastPurchase => "最近购买日", "Last purchase";
    LcDivision => "划分", "Division";
    LcGroup => "客户群", "Group";
    LcProfitShare => "利润占比", "Share of profit";
    LcDivNewOld => "新客户 / 老客户", "New vs old";
    LcDivKeyScattered => "重点客户 / 分散客户", "Key accounts vs scattered";
    LcDivOneTimeRepeat => "一次性客户 / 重复购买客户", "One-time vs repeat";
    LcGroupNew => "新客户（最近周期首购）", "New (first purchase in the latest period)";
    LcGroupOld => "老客户", "Old";
    LcGroupKey => "重点客户（销售额前 10%）", "Key accounts (top sales decile)";
    LcGroupScattered => "分散客户", "Scattered";
    LcGroupOneTime => "一次性客户", "One-time";
    LcGroupRepeat => "重复购买客户", "Repeat";
    LcGroupNoPurchase => "只有退货", "Returns only";
    LcDivisionTitle => "客户划分", "Customer division";
    DescLcDivision => "百分比条：每种划分下，各客户群占客户数的比例（上）和占销售额的比例（下）。", "100% bars: for each division, each group's share of the customers (top) and of the sales (bottom).";
    FindingLcDivision => "重点客户占客户的 {0}，贡献销售额的 {1}。", "Key accounts are {0} of the customers and bring {1} of the sales.";
    LcPeriodA => "时期 A", "Period A";
    LcPeriodB => "时期 B", "Period B";
    LcComparisonFacts => "时期 A：{0}；时期 B：{1}；重要客户 = 时期 A 销售额前 {2} 个十分位。", "Period A: {0}; period B: {1}; valuable customers = the top {2} deciles of period A by sales.";
    LcDecileN => "第 {0} 组", "Decile {0}";
    LcNewInB => "B 期新增", "New in B";
    LcLapsedInB => "B 期流失", "Lapsed in B";
    LcDecileInA => "时期 A 的十分位", "Decile in period A";
    LcDecileInB => "时期 B 的十分位", "Decile in period B";
    LcTransitionTitle => "十分位迁移：时期 A → 时期 B", "Decile movement: period A → period B";
    DescLcTransition => "矩阵：行为客户在时期 A 按销售额所在的十分位（及新增），列为时期 B 的十分位（及流失），格内为客户数；对角线为留在原档的客户。", "Matrix: rows are the customers' sales deciles in period A (and new ones), columns their deciles in period B (and lapsed); cells count customers; the diagonal holds those who stayed.";
    FindingLcTransition => "时期 A 的 {0} 位活跃客户中，{1} 位留在原来的十分位，{2} 位在时期 B 流失。", "Of the {0} customers active in period A, {1} stayed in their decile and {2} lapsed in period B.";
    LcDecileA => "A 中十分位", "Decile in A";
    LcSalesA => "A 中销售额", "Sales in A";
    LcOrdersA => "A 中订单数", "Orders in A";
    LcProfitA => "A 中利润", "Profit in A";
    LcSalesB => "B 中销售额", "Sales in B";
    LcLostTopCount => "流失的重要客户（A 中前 {0} 个十分位）", "Valuable customers lost (top {0} deciles of A)";
    LcLostTopSales => "他们在时期 A 的销售额", "Their sales in period A";
    LcNotYet => "尚未成为客户", "Not yet a customer";
    LcMigrationCorner => "之前 \\ 之后", "Before \\ after";
    LcOnDay => "{0} 时", "on {0}";
    LcSalesBefore => "之前的销售额", "Sales before";
    LcSalesAfter => "之后的销售额", "Sales after";
    LcFromSegment => "之前的分群", "Segment before";
    LcToSegment => "之后的分群", "Segment after";
    LcMigrationTitle => "RFM 分群迁移", "RFM segment migration";
    DescLcMigration => "流向图：左边为客户在第一个分析日期的 RFM 分群，右边为第二个分析日期的分群，带宽表示客户数。", "Flow chart: on the left each customer's RFM segment on the first analysis date, on the right on the second; band widths count customers.";
    FindingLcMigration => "第一个日期已有分群的 {1} 位客户中，{0} 位换到了别的分群。", "Of the {1} customers with a segment on the first date, {0} moved to another segment.";
    LcReportSummary => "{0} 的客户保留率为 {1}（{2} / {3}），流失率 {4}；购买间隔中位数 {5}；{6} 位客户已超过 {7} 天没有购买，视为流失。", "Retention in {0} was {1} ({2} of {3}), churn {4}; the median time between purchases is {5}; {6} customers have not bought for more than {7} days and count as lapsed.";
    LcReportNote => "{0} 同期群按首购{1}划分；增购阈值 {2}；流失阈值 {3} 天。", "{0} Cohorts by {1} of the first purchase; add-on threshold {2}; lapsed after {3} days.";
    LcParamGrain => "周期粒度", "Period grain";
    LcParamCohortValue => "同期群显示", "Cohort cells show";
    LcParamIncludePartial => "部分覆盖的周期也计算比率", "Compute rates of partial periods too";
    LcParamReturnsActivity => "只有退货的日子也算活跃", "Days with returns only count as activity";
    LcSuggestedPlaceholder => "建议值 {0}", "suggested {0}";
    LcPeriodsTitle => "各周期的客户关系指标", "Relationship KPIs per period";
    LcDefinitionsTitle => "指标说明", "What the figures mean";
    LcCohortsTitle => "同期群", "Cohorts";
    LcLapseTitle => "购买间隔与流失判定", "Time between purchases and lapse";
    LcAtRiskList => "有流失风险的客户（按销售额从高到低）", "Customers at risk (highest sales first)";
    LcLapsedList => "已流失的客户（按销售额从高到低）", "Lapsed customers (highest sales first)";
    LcMoreInCsv => "另有 {0} 位，见 CSV。", "{0} more in the CSV.";
    LcNoneListed => "没有。", "None.";
    LcComparisonTitle => "两个时期的比较（客户盘点）", "Two periods compared (the customer-base audit)";
    LcComparisonDefault => "默认比较所选粒度的最近两个完整周期；可修改下面的日期。", "By default the last two whole periods of the chosen grain are compared; change the dates to compare others.";
    LcLostTopTitle => "正在流失的重要客户", "Valuable customers we are losing";
    LcMigrationFacts => "分群规则与 RFM 页相同；第一个分析日期默认为时期 B 的第一天，第二个默认为分析日期。", "The segment rules are those of the RFM page; the first analysis date defaults to the first day of period B, the second to the analysis date.";
    LcReportTitle => "客户生命周期", "Customer lifecycle";
    LcNoRates => "还没有可计算比率的完整周期：数据至少要覆盖两个完整周期。", "No whole period has rates yet: the data must cover at least two whole periods.";
    LcNoComparison => "数据不足两个完整周期，无法比较；请在参数中输入两个时期的日期。", "The data covers fewer than two whole periods, so there is nothing to compare by default; enter the two periods' dates in the parameters.";
    NavClv => "价值预测", "CLV";
    ClvTitle => "客户价值预测", "CLV and prediction";
    ClvIntro => "哪些客户还会再买、会买多少、未来值多少钱：用 BG/NBD 模型预测每位客户的重复购买次数和仍然活跃的概率，用 Gamma-Gamma 模型预测每次购买的金额，二者相乘并贴现，得到每位客户在预测期内的客户生命周期价值（CLV）。先用校准期拟合、再与留出期实际发生的对比，判断模型是否可信。", "Which customers will buy again, how often, and what they are worth: BG/NBD predicts each customer's repeat purchases and the chance that they are still active, Gamma-Gamma the value of each purchase; together, discounted, they give each customer's lifetime value (CLV) over the horizon. Fit before a calibration end and compare with what happened after it to decide whether to trust the model.";
    ClvNeedsHistory => "价值预测需要每位客户的各个购买日期。这份工作区保存时没有这些日期：请重新导入订单文件。", "The CLV models need every customer's purchase days. This workspace was saved without them: import the order file again.";
    ClvNeedsDates => "价值预测需要购买日期：在导入的列映射中指定日期列后重新导入。", "The CLV models need purchase dates: map a date column when importing, and import again.";
    ClvRunning => "正在后台拟合模型并为 {0} 位客户打分（已用 {1} 秒）；其他页面可以照常使用。", "Fitting the models and scoring {0} customers in the background ({1} s so far); the other views stay usable.";
    ClvCancel => "取消", "Cancel";
    ClvCancelled => "已取消拟合。", "The fit was cancelled.";
    ClvRunAgain => "重新拟合", "Fit again";
    LcRunning => "正在后台计算 {0} 位客户的生命周期（{1}/3 项已完成，已用 {2} 秒）；其他页面可以照常使用。", "Computing the lifecycle of {0} customers in the background ({1} of 3 parts done, {2} s so far); the other views stay usable.";
    LcCancel => "取消", "Cancel";
    LcCancelled => "已取消生命周期分析。", "The lifecycle analysis was cancelled.";
    LcRunAgain => "重新计算", "Compute again";
    ClvUnitDay => "天", "days";
    ClvUnitWeek => "周", "weeks";
    ClvUnitMonth => "月（30 天）", "months (30 days)";
    ClvParamUnit => "时间单位", "Time unit";
    ClvParamCalibrationHint => "留空 = 用全部数据拟合，不做留出期检验。", "Empty = fit on everything, no holdout check.";
    ClvBasisSales => "按销售额", "on sales";
    ClvBasisMargin => "按毛利（利润列）", "on margin (the profit column)";
    ClvFacts => "校准期截至 {0}；{1} 时间单位：{2}；价值{3}。一次“购买”指有至少一笔订单的一天（同一天的多笔订单只算一次）。模型中共 {4} 位客户，其中 {5} 位有重复购买；{6} 位只有退货、{7} 位在校准期之后才首次购买，未纳入模型。", "Calibration up to {0}; {1} Time unit: {2}; value {3}. A purchase is a day with at least one order (several orders on one day count once). {4} customers in the model, {5} of them with repeat purchases; {6} with returns only and {7} whose first purchase is after the calibration are not in it.";
    ClvFactsHoldout => "留出期 {0} 之后到 {1} 之前（{2} {3}）。", "holdout from after {0} to before {1} ({2} {3}).";
    ClvFactsNoHoldout => "未设校准期结束日期：用全部数据拟合，没有留出期检验。", "no calibration end: fitted on everything, no holdout check.";
    ClvOverHorizon => "未来 {0} {1}", "over the next {0} {1}";
    ClvTotal => "客户价值合计（CLV）", "Total CLV";
    ClvTotalNote => "{0}，年贴现率 {1}，{2}", "{0}, discounted at {1} a year, {2}";
    ClvExpectedPurchasesTotal => "预期购买次数", "Expected purchases";
    ClvCustomers => "模型中的客户", "Customers in the model";
    ClvMeanPAlive => "平均活跃概率", "Mean P(alive)";
    ClvHoldoutActual => "留出期实际重复购买", "Holdout repeat purchases, actual";
    ClvHoldoutPredicted => "留出期预测重复购买", "Holdout repeat purchases, predicted";
    ClvHoldoutErrorNote => "误差 {0}；每位客户平均绝对误差 {1}", "error {0}; mean absolute error per customer {1}";
    ClvHoldoutError => "留出期预测误差", "Holdout prediction error";
    ClvHoldoutErrorWarn => "误差超过 20%：个体预测请谨慎使用。", "More than 20 % off: use the individual predictions with care.";
    ClvTermPurchase => "购买与时间", "Purchases and time";
    ClvDefPurchase => "x = 校准期内的重复购买天数（首购之后）；t_x = 首购到最后一次购买的时间；T = 首购到校准期结束的时间。", "x = repeat purchase days in the calibration (after the first); t_x = time from the first to the last purchase; T = time from the first purchase to the calibration end.";
    ClvTermR => "r 与 α：购买频率", "r and α: purchase rate";
    ClvDefR => "活跃客户的购买频率因人而异，服从形状 r、尺度 α 的伽马分布；平均每单位时间 r/α 次。r 越小，客户之间差异越大。", "Active customers buy at rates that differ from person to person, gamma-distributed with shape r and scale α; on average r/α purchases per time unit. The smaller r, the more customers differ.";
    ClvTermAB => "a 与 b：流失", "a and b: dropout";
    ClvDefAB => "每次购买后客户有一定概率永久离开，该概率服从 Beta(a, b)；平均 a/(a+b)。", "After each purchase a customer may leave for good, with a probability that is Beta(a, b) across customers; on average a/(a+b).";
    ClvTermGg => "p、q、γ：每次购买的金额", "p, q, γ: value per purchase";
    ClvDefGg => "Gamma-Gamma 模型：每位客户的平均客单价围绕 pγ/(q−1) 波动；购买次数多的客户，其预测更接近自己的历史平均。模型假设购买次数与客单价无关。", "Gamma-Gamma: each customer's mean value per purchase varies around pγ/(q−1); the more purchases, the closer the prediction to the customer's own mean. It assumes the number of purchases and the value per purchase are unrelated.";
    ClvTermPAlive => "活跃概率 P(alive)", "P(alive)";
    ClvDefPAlive => "在校准期结束时客户仍然活跃（没有永久离开）的概率。很久没买的常客，这个概率会很低。", "The probability that the customer is still active (has not left for good) at the calibration end. A frequent buyer who has not bought for a long time gets a low one.";
    ClvTermClv => "客户生命周期价值（CLV）", "Customer lifetime value (CLV)";
    ClvDefClv => "预测期内每月的预期购买次数 × 预期客单价，按年贴现率逐月贴现后相加（与 lifetimes 的 customer_lifetime_value 相同）。", "Expected purchases in each month of the horizon × expected value per purchase, discounted month by month at the annual rate and summed (as lifetimes' customer_lifetime_value).";
    ClvParameter => "参数", "Parameter";
    ClvEstimate => "估计值", "Estimate";
    ClvStandardError => "标准误", "Std. error";
    ClvParamR => "购买频率的形状", "shape of the purchase rates";
    ClvParamAlpha => "购买频率的尺度", "scale of the purchase rates";
    ClvParamA => "流失概率 Beta 分布的 a", "a of the dropout probability's Beta";
    ClvParamB => "流失概率 Beta 分布的 b", "b of the dropout probability's Beta";
    ClvParamLl => "对数似然（越大越好）", "log-likelihood (higher is better)";
    ClvParamP => "单次金额的形状", "shape of the purchase values";
    ClvParamQ => "客户平均金额的形状", "shape of the customers' mean values";
    ClvParamV => "客户平均金额的尺度", "scale of the customers' mean values";
    ClvConverged => "BG/NBD：{0}/{1} 个起点收敛到同一最优解（{2} 组不同的 (x, t_x, T)，{3} 位客户）；Gamma-Gamma：{4}/{5} 个起点一致。", "BG/NBD: {0} of {1} starting points reached the same optimum ({2} distinct (x, t_x, T) for {3} customers); Gamma-Gamma: {4} of {5} starting points agree.";
    ClvCommonDropout => "这份数据中每位客户在一次购买后离开的概率看起来都一样，约为 {0}：a 和 b 会一起无限增大。拟合在预测不再变化的地方停止（即所有客户流失概率相同的极限模型），a、b 不给出标准误。", "In this data every customer seems to have the same chance of leaving after a purchase, about {0}: a and b grow together without limit. The fit stops where the predictions no longer change (the limit model, one dropout probability for everyone) and gives no standard errors for a and b.";
    ClvNoStandardErrors => "有参数的标准误无法计算（似然在最优点不够弯曲），显示为“–”。", "Some standard errors could not be computed (the likelihood is too flat at the optimum); they show as “–”.";
    ClvCorrelationOk => "购买次数与平均客单价的相关系数为 {0}（{1} 位重复购买客户），接近 0，符合 Gamma-Gamma 模型的假设。", "The correlation between the number of purchases and the mean value per purchase is {0} ({1} repeat customers): near 0, as Gamma-Gamma assumes.";
    ClvCorrelationWarn => "注意：购买次数与平均客单价的相关系数为 {0}（{1} 位重复购买客户），Gamma-Gamma 模型假设二者无关，预测的客单价和 CLV 可能有偏。", "Caution: the correlation between the number of purchases and the mean value per purchase is {0} ({1} repeat customers); Gamma-Gamma assumes they are unrelated, so the predicted values and CLV may be biased.";
    ClvNonPositive => "{0} 位重复购买客户的平均金额不大于 0（退货抵消），未用于 Gamma-Gamma 拟合。", "{0} repeat customers have a mean value of 0 or less (returns netted) and were left out of the Gamma-Gamma fit.";
    ClvGroup => "校准期重复购买次数", "Repeat purchases in calibration";
    ClvCustomersShort => "客户数", "Customers";
    ClvActual => "实际", "Actual";
    ClvPredicted => "预测", "Predicted";
    ClvPredictedBgnbd => "BG/NBD 预测", "BG/NBD predicted";
    ClvActualPer => "人均实际", "Actual per customer";
    ClvPredictedPer => "人均预测", "Predicted per customer";
    ClvMae => "平均绝对误差", "Mean absolute error";
    ClvAll => "全部", "All";
    ClvGroupAxis => "校准期内的重复购买次数", "Repeat purchases in the calibration period";
    ClvPerCustomerAxis => "留出期人均重复购买", "Holdout purchases per customer";
    ClvBacktestTitle => "留出期检验：按校准期购买次数分组", "Holdout check by calibration purchases";
    DescClvBacktest => "按校准期内的重复购买次数分组，比较留出期每位客户的实际与预测重复购买次数。", "Customers grouped by their repeat purchases in the calibration; actual against predicted repeat purchases per customer in the holdout.";
    FindingClvBacktest => "留出期预测 {0} 次重复购买，实际 {1} 次，相差 {2}。", "The model predicted {0} repeat purchases in the holdout; {1} happened, {2} apart.";
    ClvWeek => "周", "Week";
    ClvHoldout => "留出期", "Holdout";
    ClvWeekAxis => "自第一笔购买起的周数", "Weeks since the first purchase";
    ClvCumulativeAxis => "累计重复购买次数", "Cumulative repeat purchases";
    ClvHoldoutStarts => "留出期开始", "holdout starts";
    ClvTrackingTitle => "每周累计重复购买：实际与预测", "Cumulative repeat purchases per week, actual and predicted";
    DescClvTracking => "所有客户每周累计的重复购买次数：实线为实际，虚线为模型预测；竖线之后为留出期。", "Cumulative repeat purchases of all customers week by week: actual (solid) and predicted (dashed); the holdout is right of the vertical line.";
    ClvPAlive => "活跃概率", "P(alive)";
    ClvAliveTitle => "活跃概率分布", "How likely customers are to be active";
    DescClvAlive => "按活跃概率（每 10% 一组）统计的客户数。", "Customers by their probability of being active, in tenths.";
    FindingClvAlive => "{0} 的客户活跃概率低于 50%。", "{0} of the customers are less likely than not to be active.";
    ClvDecile => "CLV 十分位", "CLV decile";
    ClvValue => "CLV", "CLV";
    ClvShare => "占比", "Share";
    ClvCumulativeShare => "累计占比", "Cumulative share";
    ClvDecileAxis => "按 CLV 从高到低的十分位", "Deciles by CLV, highest first";
    ClvDecilesTitle => "CLV 十分位：未来价值集中在哪些客户", "CLV deciles: where the future value is";
    DescClvDeciles => "按 CLV 从高到低把客户分为十组，每组占全部 CLV 的比例及累计比例。", "Customers in ten groups by CLV, highest first: each group's share of the total CLV and the cumulative share.";
    FindingClvDeciles => "CLV 最高的 20% 客户占全部未来价值的 {0}。", "The 20 % of customers with the highest CLV hold {0} of the future value.";
    ClvSegment => "RFM 分群", "RFM segment";
    ClvMeanValue => "人均 CLV", "CLV per customer";
    ClvExpectedPurchases => "预期购买次数", "Expected purchases";
    ClvExpectedValue => "预期客单价", "Expected value per purchase";
    ClvFrequency => "重复购买次数 x", "Repeat purchases x";
    ClvPastSales => "历史净销售额", "Past net sales";
    ClvCustomerId => "客户编号", "Customer";
    ClvLostRule => "活跃概率低于 {0}、且历史净销售额位于模型客户前 {1} 的客户，按历史净销售额从高到低。", "Customers with P(alive) below {0} whose past net sales are in the top {1} of the model's customers, highest past sales first.";
    ClvReportHoldout => "留出期预测 {0} 次重复购买，实际 {1} 次（相差 {2}）。", "In the holdout the model predicted {0} repeat purchases against {1} actual ({2} apart).";
    ClvReportSummary => "预计全部客户在未来 {1} {2}内的价值合计 {0}；CLV 最高的 20% 客户占 {3}。{4}", "The customers are expected to be worth {0} over the next {1} {2}; the 20 % with the highest CLV hold {3}. {4}";
    ClvReportNote => "{0} BG/NBD 与 Gamma-Gamma 按最大似然拟合；预测期 {1} {2}，年贴现率 {3}。", "{0} BG/NBD and Gamma-Gamma fitted by maximum likelihood; horizon {1} {2}, annual discount rate {3}.";
    ClvDefinitionsTitle => "模型与参数的含义", "What the models and parameters mean";
    ClvFitTitle => "模型拟合", "The fit";
    ClvBacktestSection => "模型可信吗：留出期检验", "Can we trust it? The holdout check";
    ClvNoHoldoutNote => "设置校准期结束日期（早于最后的购买日期），即可用其后的数据检验预测。", "Set a calibration end (before the last purchase) to check the predictions against what happened after it.";
    ClvValueTitle => "未来价值在哪里", "Where the future value is";
    ClvSegmentsTitle => "各 RFM 分群的未来价值", "Future value by RFM segment";
    ClvCustomersTitle => "每位客户的预测", "Every customer's prediction";
    ClvSearch => "搜索客户编号", "Search customer ids";
    ClvMatches => "{0} 位客户", "{0} customers";
    ClvPage => "第 {0} / {1} 页", "page {0} of {1}";
    ClvPrevious => "上一页", "Previous";
    ClvNext => "下一页", "Next";
    ClvLostTitle => "可能已流失的高价值客户", "Likely lost, high value";
    ClvSortBy => "按此列排序", "Sort by this column";
    LyTitle => "忠诚度与满意度", "Loyalty and satisfaction";
    NavLoyalty => "忠诚度", "Loyalty";
    LySurveyFile => "满意度调查文件", "Survey file";
    LySurveyRows => "调查数据行", "Survey rows";
    LySurveyMatched => "匹配到订单的受访者", "Respondents matched to orders";
    LyMatchNote => "匹配率 {0}（{1} / {2} 位受访者）", "Match rate {0} ({1} of {2} respondents)";
    LyNps => "净推荐值（NPS）", "Net Promoter Score (NPS)";
    LyNpsNote => "推荐者 {0}，中立者 {1}，贬损者 {2}（共 {3} 人）", "{0} promoters, {1} passives, {2} detractors (of {3})";
    LyRespondents => "受访者", "Respondents";
    LyPromoters => "推荐者（9–10）", "Promoters (9–10)";
    LyPassives => "中立者（7–8）", "Passives (7–8)";
    LyDetractors => "贬损者（0–6）", "Detractors (0–6)";
    LyMatchSentence => "{2} 位受访者中有 {1} 位（{0}）在订单中找到；{3} 位不是订单中的客户（潜在客户或编号有误），{4} 位客户没有回答调查。", "{1} of the {2} respondents ({0}) were found in the orders; {3} are not customers in the orders (prospects or wrong ids), and {4} customers did not answer.";
    LySurveyAlone => "只导入了调查：可以看满意度分布和 NPS；导入订单后才有忠诚度矩阵、六类忠诚度和按满意度的流失率。", "Survey only: the satisfaction distribution and NPS are shown; import the orders for the loyalty matrix, the six classes and churn by satisfaction.";
    LyNoDates => "订单没有日期，无法判定流失和行为忠诚度。", "The orders have no dates, so lapse and behavioural loyalty cannot be judged.";
    LyScaleFacts => "满意度量表：{0}（{1}）；同一客户多次回答时取{2}。", "Satisfaction scale: {0} ({1}); several responses of one customer: {2}.";
    LyScaleDetected => "自动识别", "detected";
    LyScaleGiven => "由您设定", "set by you";
    LyScaleLabels => "五级评价词（非常满意 … 非常不满意）", "five labels (very satisfied … very dissatisfied)";
    LyScale15 => "1–5 分", "1–5";
    LyScale17 => "1–7 分", "1–7";
    LyScale110 => "1–10 分", "1–10";
    LyScale010 => "0–10 分", "0–10";
    LyCombineLatest => "日期最新的一次", "the latest by date";
    LyCombineMean => "平均值", "the mean";
    LyLevel1 => "非常不满意", "Very dissatisfied";
    LyLevel2 => "不满意", "Dissatisfied";
    LyLevel3 => "一般", "Neutral";
    LyLevel4 => "满意", "Satisfied";
    LyLevel5 => "非常满意", "Very satisfied";
    LyLevel => "满意度", "Satisfaction";
    LyMeanSatisfaction => "平均满意度", "Mean satisfaction";
    LyDistributionTitle => "满意度分布", "Satisfaction distribution";
    LyApostle => "热心追随者", "Apostle";
    LyLoyalist => "忠诚者", "Loyalist";
    LyHostage => "不自主者", "Hostage";
    LyMercenary => "唯利是图者", "Mercenary";
    LyDefector => "背叛者", "Defector";
    LyTerrorist => "恐惧分子", "Terrorist";
    LyMeanApostle => "超级忠诚：最满意、持续购买，会主动向别人推荐。", "Super-loyal: the most satisfied, keep buying and recommend us to others.";
    LyMeanLoyalist => "满意且持续购买的忠诚客户。", "Satisfied customers who keep buying.";
    LyMeanHostage => "假忠诚：不满意却仍在购买，因为没有别的选择；一旦有选择就会离开。", "Pseudo-loyal: dissatisfied but still buying because they have no choice; they leave once they have one.";
    LyMeanMercenary => "不忠诚：满意，但哪家最便宜、最方便就去哪家。", "Not loyal: satisfied, but buy wherever is cheapest or most convenient.";
    LyMeanDefector => "反忠诚：多次不满意，已经或正在离开。", "Counter-loyal: repeatedly dissatisfied, leaving or gone.";
    LyMeanTerrorist => "反忠诚的极端：失望的追随者，已流失且难以挽回，会向别人说我们的坏话。", "Anti-loyal: disappointed apostles, lapsed and hard to win back, who speak badly of us.";
    LyActApostle => "请他们推荐、写评价、参与新品；保持服务水平。", "Ask them for referrals and reviews, involve them in new products; keep the service level.";
    LyActLoyalist => "找出离“非常满意”还差什么，把他们培养成热心追随者。", "Find what keeps them from very satisfied and turn them into apostles.";
    LyActHostage => "尽快解决不满的原因；不要把他们的购买当成忠诚。", "Fix the causes of dissatisfaction soon; do not take their purchases for loyalty.";
    LyActMercenary => "用会员权益和便利提高转换成本，但控制折扣投入。", "Raise switching costs with membership benefits and convenience, but keep discounts in check.";
    LyActDefector => "分析流失原因；只对有价值的客户做挽回。", "Analyse why they leave; win back only the valuable ones.";
    LyActTerrorist => "个别跟进高价值者，处理投诉、防止负面口碑；不要大量投入挽回。", "Follow up the high-value ones one by one, resolve complaints and contain bad word of mouth; do not spend heavily to win them back.";
    LyType => "类型", "Type";
    LyMeaning => "含义", "Meaning";
    LyAction => "建议行动", "Suggested action";
    LyHighValue => "其中高价值", "Of them high-value";
    LyMatrixTitle => "满意度 × 忠诚度矩阵", "Satisfaction × loyalty matrix";
    LyCutsInvalid => "请填写三个整数（最低、满意、最高，例如 1, 4, 5），或留空使用默认值；仍在使用原来的分界。", "Enter three whole numbers (bottom, satisfied, top, e.g. 1, 4, 5), or leave it empty for the defaults; the cuts in use are kept.";
    LyAxisSatisfaction => "满意度（调查）", "Satisfaction (survey)";
    LyAxisLoyalty => "忠诚度（购买行为）", "Loyalty (purchase behaviour)";
    LyAxisLow => "低", "low";
    LyAxisHigh => "高", "high";
    DescLyMatrix => "按调查的满意度（横轴）与购买行为的忠诚度（纵轴）把回答问卷的客户分为四个象限，右上角与左下角是两个极端：热心追随者与恐惧分子。每格写出客户数、占矩阵客户的比例和销售额。", "The respondents placed by their satisfaction in the survey (across) and their loyalty in the purchase history (up): four quadrants, with the two extremes — apostles and terrorists — in the top-right and bottom-left corners. Each box gives its customers, their share of the matrix and their sales.";
    LyMatrixFacts => "行为忠诚：未流失、至少 {0} 笔订单、首购距分析日期至少 {1} 天；满意：{2} 分及以上；最高：{3} 分及以上；最低：{4} 分及以下；高价值：销售额前 {5} 个十分位。", "Behaviourally loyal: not lapsed, at least {0} orders and a first purchase at least {1} days before the analysis date; satisfied: {2} or above; top: {3} or above; bottom: {4} or below; high-value: the top {5} sales deciles.";
    LyMatrixUncounted => "{0} 位匹配客户没有满意度回答，{1} 位在分析日期前没有购买，未计入矩阵。", "{0} matched customers gave no satisfaction answer and {1} had no purchase before the analysis date; they are not in the matrix.";
    LyHighValueTerrorists => "{0} 位恐惧分子曾是高价值客户。", "{0} terrorists were high-value customers.";
    LyClass1 => "长期忠诚用户", "Long-term loyal users";
    LyClass2 => "可能转换品牌的长期客户", "Long-term customers who may switch brands";
    LyClass3 => "有适当激励会多买的偶尔购买者", "Occasional buyers who would buy more with the right incentive";
    LyClass4 => "竞争对手激励合适时会少买的偶尔购买者", "Occasional buyers who would buy less if a competitor's incentive were right";
    LyClass5 => "可能成为客户的非用户", "Non-users who may become customers";
    LyClass6 => "不会成为客户的非用户", "Non-users who will not become customers";
    LyRule1 => "长期（首购距今至少 {0} 天且至少 {1} 笔订单），满意，未流失，复购意向不是“不会”", "Long-term (first purchase at least {0} days ago and at least {1} orders), satisfied, not lapsed, repurchase intent not “no”";
    LyRule2 => "其他长期客户", "The other long-term customers";
    LyRule3 => "非长期客户，复购意向为“会”（未回答时：满意）", "Not long-term, repurchase intent “yes” (unanswered: satisfied)";
    LyRule4 => "其他非长期客户", "The other customers who are not long-term";
    LyRule5 => "没有购买的受访者，复购意向为“会”或“不确定”（未回答时：满意或推荐意愿 ≥ 7）", "Respondents without purchases, repurchase intent “yes” or “unsure” (unanswered: satisfied or likelihood to recommend ≥ 7)";
    LyRule6 => "其他没有购买的受访者", "The other respondents without purchases";
    LyClass => "忠诚度类别", "Loyalty class";
    LyRule => "规则", "Rule";
    LyClassesTitle => "六类忠诚度", "Six loyalty classes";
    LyClassesNote => "{0} 位订单客户没有回答调查，未分类。", "{0} customers in the orders did not answer and are not classified.";
    LyChurnTitle => "按满意度的流失率", "Churn by satisfaction";
    LyLapsed => "已流失", "Lapsed";
    LyChurnRate => "流失率", "Churn rate";
    LyInterval => "95% 区间", "95% interval";
    LyChurnItem => "评价“{0}”的客户流失率为 {1}（n = {2}）", "customers who rated {0} churned at {1} (n = {2})";
    LyChurnSentence => "{0}。", "{0}.";
    DescLyChurn => "柱状图：每个满意度等级的客户在分析日期时已流失的比例，细线为 95% 区间（Wilson）。", "Bar chart: for each satisfaction level, the share of its customers lapsed by the analysis date; the whiskers are 95% (Wilson) intervals.";
    LyChurnMore => "“{0}”的客户 {1}（n = {2}）", "{0} at {1} (n = {2})";
    LySep => "，", ", ";
    LyRecency => "距分析日期天数", "Days since last purchase";
    LyTenure => "首购距分析日期天数", "Days since first purchase";
    LyHighValueFlag => "高价值恐惧分子", "High-value terrorist";
    LyNoType => "未计入", "Not in the matrix";
    LyChurnRule => "流失：分析日期前超过 {0} 天没有购买（与客户生命周期相同的规则）；区间为 Wilson 95% 置信区间。", "Lapsed: no purchase for more than {0} days before the analysis date (the lifecycle's rule); intervals are Wilson 95% intervals.";
    LyNoThreshold => "数据中没有购买间隔可以建议流失阈值，请设定流失阈值。", "The data has no inter-purchase times to suggest a lapse threshold; set one.";
    LySegment => "RFM 分群", "RFM segment";
    LyDecile => "销售额十分位", "Sales decile";
    LyBySegmentTitle => "按 RFM 分群的 NPS 与满意度", "NPS and satisfaction by RFM segment";
    LyByDecileTitle => "按十分位的 NPS 与满意度", "NPS and satisfaction by decile";
    LyUnmatchedTitle => "订单中找不到的受访者", "Respondents not found in the orders";
    LyRejectedTitle => "未读取的调查行", "Survey rows not read";
    LyReportSummary => "{0} 位受访者的 NPS 为 {1}；{2}。", "The NPS of the {0} respondents is {1}; {2}.";
    LyReportNps => "{0} 位受访者的 NPS 为 {1}。", "The NPS of the {0} respondents is {1}.";
    LyReportNote => "满意度量表 {0}；同一客户多次回答取{1}；行为忠诚：未流失、至少 {2} 笔订单、至少 {3} 天；流失阈值 {4} 天（与客户生命周期相同）；NPS：9–10 分为推荐者，0–6 分为贬损者。", "Satisfaction scale {0}; several responses: {1}; behavioural loyalty: not lapsed, at least {2} orders and {3} days; lapse threshold {4} days (shared with the lifecycle); NPS: 9–10 promoters, 0–6 detractors.";
    LyIntent => "复购意向", "Intent to repurchase";
    LyRecommend => "推荐意愿", "Likelihood to recommend";
    LyLoyal => "行为忠诚", "Behaviourally loyal";
    LyYes => "是", "yes";
    LyNo => "否", "no";
    LySurveyDate => "填写日期", "Response date";
    LyRole => "含义", "Role";
    LyColumn => "列", "Column";
    LyConfidence => "把握", "Confidence";
    LySourceHeaderExact => "列名完全匹配", "header name";
    LySourceHeaderPartial => "列名包含", "header contains a name";
    LySourceValues => "按数值判断", "from the values";
    ParamNameMapping => "列对应", "Column mapping";
    ParamNameSatisfactionCuts => "满意度阈值", "Satisfaction thresholds";
    ParamNameLoyalMinOrders => "行为忠诚：最少订单数", "Loyal: fewest orders";
    ParamNameLoyalMinTenure => "行为忠诚：最少天数", "Loyal: fewest days since first purchase";
    ParamNameLongTermDays => "长期客户：最少天数", "Long-term: fewest days since first purchase";
    ParamNameLongTermMinOrders => "长期客户：最少订单数", "Long-term: fewest orders";
    ParamNameHighValueDeciles => "高价值：前几个十分位", "High-value: top deciles";
    ParamNameScale => "满意度量表", "Satisfaction scale";
    ParamNameCombine => "多次回答", "Several responses";
    SqlTitle => "在 DuckDB / Spark 上运行", "Run this on DuckDB / Spark";
    SqlIntro => "数据太大、浏览器装不下时，可以把同样的分析交给您已有的 {0}：下载的 SQL 文件按当前的列映射和参数计算客户汇总、每月销售额与利润、十分位、RFM 评分与分群和概览数字，结果与本工具相同。", "When the data is too large for a browser, hand the same analysis to the {0} you already run: the SQL file follows the current column mapping and parameters and computes the customer summary, monthly sales and profit, deciles, RFM scores and segments and the headline figures, with the same results as this app.";
    SqlStepSource => "打开文件，在开头标有 {0} 的语句里填入您的表名和列名（日期列为 {1} 类型，金额为数值）。", "Open the file and, in the statement marked {0} at the top, put your table's name and column names (the date column of type {1}, amounts numeric).";
    SqlStepRun => "运行：{0}（或在 Python 中：{1}）。", "Run it: {0} (or, in Python: {1}).";
    SqlStepViews => "结果是本次会话的临时视图：{0}。例如：{1}", "The results are temporary views of the session: {0}. For example: {1}";
    SqlStepParams => "参数（RFM 分箱数、分析日期、分群规则、十分位分组阈值）已写入语句；在本工具中修改后请重新下载。", "The parameters (RFM bins, analysis day, segment rules, decile group thresholds) are written into the statements; change them here and download again.";
    SqlNoDates => "没有映射日期列，因此文件不含每月销售额（{0}）和 RFM（{1}）。", "No date column is mapped, so the file has no monthly sales ({0}) and no RFM ({1}).";
    SqlDownload => "下载 {0}", "Download {0}";
    ClusterTitle => "聚类分析", "Clusters";
    ParamNameClusterK => "客户群数量 k", "clusters (k)";
    ParamNameClusterStarts => "k-means++ 起点次数", "k-means++ starts";
    ParamNameClusterResamples => "自助重抽样次数", "bootstrap resamples";
    ParamNameClusterFitSample => "拟合样本客户数", "fit sample (customers)";
    ParamNameClusterSilhouetteSample => "轮廓系数样本客户数", "silhouette sample (customers)";
    ClusterK => "客户群数量 k", "Clusters (k)";
    ClusterIntro => "用 k-means 按 R、F、M 把客户分成几群，看看数据里自然形成的客户群与上面按规则划分的 RFM 分群有何异同。客户群按平均消费金额从高到低编号；随机种子固定，结果可复现。", "k-means splits the customers into groups by their R, F and M: see which groups the data forms by itself, and how they compare with the rule-based RFM segments above. Clusters are numbered by descending mean M; the seed is fixed, so the result can be reproduced.";
    ClusterScaling => "缩放方式", "Scaling";
    ClusterSeed => "随机种子", "Seed";
    ClusterFind => "寻找客户群", "Find the clusters";
    ClusterRunning => "正在后台为 {0} 位已评分客户寻找客户群（k-means）；其他页面可以照常使用。", "Finding the clusters of {0} scored customers in the background (k-means); the other views stay usable.";
    ClusterChoiceTitle => "k 的选择：簇内平方和、轮廓系数与 Calinski-Harabasz 指数", "Choosing k: inertia, silhouette and Calinski-Harabasz";
    ClusterSegmentsTitle => "客户群与 RFM 分群", "Clusters and RFM segments";
    ClusterKShort => "k", "k";
    ClusterCustomers => "客户数", "Customers";
    ClusterRuleSilhouette => "按轮廓系数最高自动建议", "suggested: the highest silhouette";
    ClusterRuleChosen => "由用户选定（建议值为 {0}）", "chosen by the user (the suggestion is {0})";
    ClusterSuggested => "建议", "suggested";
    ClusterInertia => "簇内平方和", "Inertia";
    ClusterSilhouette => "轮廓系数", "Silhouette";
    ClusterCalinski => "Calinski-Harabasz 指数", "Calinski-Harabasz";
    ClusterNumber => "客户群", "Cluster";
    ClusterCustomerShare => "客户占比", "Share of customers";
    ClusterSalesShare => "销售额占比", "Share of sales";
    ClusterMedianR => "R 中位数（天）", "Median R (days)";
    ClusterMedianF => "F 中位数（订单）", "Median F (orders)";
    ClusterMedianM => "M 中位数（金额）", "Median M (money)";
    ClusterStability => "稳定性（Jaccard）", "Stability (Jaccard)";
    ClusterHighlyStable => "非常稳定", "highly stable";
    ClusterStable => "稳定", "stable";
    ClusterWeak => "较弱", "weak";
    ClusterUnstable => "不稳定", "unstable";
    ClusterScalingLogZ => "log(1 + x) 后标准化（z 分数）", "log(1 + x), then z-scores";
    ClusterScalingRobust => "log(1 + x) 后按中位数与四分位距缩放", "log(1 + x), then median and interquartile range";
    ClusterScalingRank => "百分位排名", "percentile ranks";
    ClusterCustomerId => "客户编号", "Customer ID";
    ClusterRDays => "R（天）", "R (days)";
    ClusterFOrders => "F（订单）", "F (orders)";
    ClusterM => "M（金额）", "M (money)";
    ClusterSegment => "RFM 分群", "RFM segment";
    ClusterReportSummary => "对 {0} 位客户的 R、F、M 做 k-means 聚类，得到 {1} 个客户群（{2}）。第 1 群平均消费金额最高，占客户的 {3}、销售额的 {4}，M 中位数为 {5}；其中 {6} 个客户群在自助重抽样中稳定（Jaccard ≥ 0.75）。", "k-means on the R, F and M of {0} customers gives {1} clusters ({2}). Cluster 1 has the highest mean M: {3} of the customers, {4} of net sales, median M {5}; {6} of the clusters are stable under bootstrap resampling (Jaccard ≥ 0.75).";
    ClusterReportNote => "特征为每位客户的 R（天）、F（订单数）、M，缩放方式：{0}。k-means++ 初始化，每个 k 取 {1} 次起点中簇内平方和最小者，Lloyd 迭代至收敛；k 从 2 到 8 在 {2} 位客户上比较簇内平方和、轮廓系数（按群分层抽样，至多 {4} 位）与 Calinski-Harabasz 指数，k 的选择：{3}。稳定性为 {5} 次自助重抽样的平均 Jaccard 相似度（Hennig 2007：≥ 0.85 非常稳定，0.75–0.85 稳定，0.6–0.75 较弱，< 0.6 不稳定）。客户群按平均 M 从高到低编号。随机种子 {6}。", "Features: each customer's R (days), F (orders) and M, scaled by {0}. k-means++ seeding, the lowest inertia of {1} starts per k, Lloyd iterations to convergence; k from 2 to 8 compared on {2} customers by inertia, silhouette (a sample stratified by cluster, at most {4} customers) and Calinski-Harabasz; k: {3}. Stability: the mean Jaccard similarity over {5} bootstrap resamples (Hennig 2007: ≥ 0.85 highly stable, 0.75–0.85 stable, 0.6–0.75 weak, < 0.6 unstable). Clusters are numbered by descending mean M. Seed {6}.";
    LyIntro => "把满意度调查和购买记录连起来：谁满意、谁忠诚、谁在流失；满意度 × 忠诚度矩阵、六类忠诚度、按满意度的流失率和 NPS。", "The satisfaction survey joined to the purchase history: who is satisfied, who is loyal, who is leaving; the satisfaction × loyalty matrix, the six loyalty classes, churn by satisfaction and NPS.";
    LySurveyHint => "一行一个回答：客户编号，以及满意度、推荐意愿（0–10）、复购意向、填写日期中的任意几列。没有订单也可以导入。", "One row per response: a customer id and any of satisfaction, likelihood to recommend (0–10), intent to repurchase, response date. Works without orders too.";
    LyChooseSurvey => "选择调查文件", "Choose a survey file";
    LyDropSurvey => "把调查文件拖到这里", "Drop a survey file here";
    LyRemoveSurvey => "移除调查", "Remove the survey";
    LySurveyLoaded => "已读取调查文件：{0}", "Survey file read: {0}";
    LySurveyTooLarge => "调查文件超过 50 MB，没有读取。请只导出调查的回答列。", "The survey file is larger than 50 MB and was not read. Export only the survey's answer columns.";
    LySurveyReading => "正在读取调查文件……", "Reading the survey file…";
    LySurveyUnreadable => "浏览器无法读取这个调查文件。", "The browser could not read this survey file.";
    LyMappingTitle => "调查的列对应", "The survey's columns";
    LyNoRejected => "所有调查行都已读取。", "Every survey row was read.";
    LyScaleNeedsFile => "从工作区打开的调查不能更换量表；请重新导入调查文件。", "A survey reopened from a workspace cannot change its scale; import the survey file again.";
    LyNoSurveyTitle => "还没有满意度调查", "No satisfaction survey yet";
    LyNoSurveyHint => "在“数据”页的“满意度调查文件”处导入调查（有没有订单都可以）。", "Import a survey at “Survey file” on the data page (with or without orders).";
    LyGoToSurvey => "去导入调查", "Import a survey";
    LyMembersTitle => "各类型的客户", "The customers of each type";
    LyCutsHint => "最低、满意、最高三个等级，用逗号分隔", "lowest, satisfied and top level, separated by commas";
    LyCustomersCsvNote => "CSV 含全部匹配客户及其类型。", "The CSV has every matched customer with its type.";
    LyNoUnmatched => "所有受访者都在订单中。", "Every respondent is in the orders.";
    LyNpsTitle => "净推荐值（NPS）", "Net Promoter Score";
    DimAttributeGroup => "客户属性", "Customer attribute";
    DimRegion => "地区", "Region";
    DimIndustry => "行业", "Industry";
    DimSalesperson => "销售员", "Salesperson";
    DimChannel => "渠道", "Channel";
    DimCustomerType => "客户类型", "Customer type";
    DimOtherAttribute => "其他属性", "Other attribute";
    DimAge => "年龄", "Age";
    DimBirthYear => "出生/成立年份", "Birth or founding year";
    DimBreakdownBy => "分维度查看", "Breakdown by";
    DimNoBreakdown => "（不分维度）", "(no breakdown)";
    DimBlank => "（空白）", "(blank)";
    DimOtherValues => "其他（{0} 个取值）", "Other ({0} values)";
    DimValue => "取值", "Value";
    DimCustomers => "客户数", "Customers";
    DimSales => "销售额", "Sales";
    DimProfit => "利润", "Profit";
    DimCustomerShare => "客户占比", "Share of customers";
    DimSalesShare => "销售额占比", "Share of sales";
    DimProfitShare => "利润占比", "Share of profit";
    DimValuesTitle => "按{0}：客户、销售额与利润", "By {0}: customers, sales and profit";
    DimDecileTitle => "销售额十分位 × {0}（客户数）", "Sales decile × {0} (customers)";
    DimSegmentTitle => "RFM 分群 × {0}（客户数）", "RFM segment × {0} (customers)";
    DimDecile => "十分位", "Decile";
    DimSegment => "分群", "Segment";
    DimTotal => "合计", "Total";
    DimSmallNote => "标 * 的格子少于 {0} 个客户，不宜解读为规律。", "Cells marked * have fewer than {0} customers: do not read them as a pattern.";
    DimTopNote => "显示客户最多的 {0} 个取值，其余 {1} 个合并为“其他”。", "The {0} values with the most customers are shown; the other {1} are merged into “Other”.";
    DimChangedNote => "{0} 个客户在不同订单中的{1}不同，取其最近一次订单的值。", "{0} customers had more than one {1} across their orders; each takes the value of its latest order.";
    DimWholeNote => "十分位和分群按全部客户计算，再按{0}分列：每一格的客户和全体比较。", "Deciles and segments are computed over all customers, then split by {0}: every cell compares with the whole population.";
    DimUnscoredNote => "{0} 个客户没有带日期的订单，不在分群表中。", "{0} customers have no dated order and are not in the segment table.";
    DimNoAttributes => "没有客户属性列。在导入设置中把地区、销售员等列标为“客户属性”，即可按它们分列十分位和分群。", "No customer attribute columns. Mark columns such as region or salesperson as “Customer attribute” in the import settings to break deciles and segments down by them.";
    DimReportTitle => "分维度分析", "Breakdowns";
    DimCsv => "下载分维度表 CSV", "Download the breakdown CSV";
    DimMultiplesDeciles => "每个{0}一个小图：其客户在销售额十分位中的占比，各图同一刻度、同一顺序。", "One panel per {0}: the share of its customers in each sales decile, on one scale and in one order in every panel.";
    DimMultiplesSegments => "每个{0}一个小图：其客户在各 RFM 分群中的占比，各图同一刻度、同一顺序。", "One panel per {0}: the share of its customers in each RFM segment, on one scale and in one order in every panel.";
    ClusterKChartTitle => "k 的选择：拐点与轮廓系数", "Choosing k: the elbow and the silhouette";
    ClusterInertiaPanel => "簇内平方和（找拐点）", "Inertia (look for the elbow)";
    ClusterSilhouettePanel => "平均轮廓系数（越高越好）", "Mean silhouette (higher is better)";
    ClusterKAxis => "聚类数 k", "Number of clusters k";
    DescClusterKChoice => "左：每个 k 的簇内平方和，随 k 增大而下降，下降变缓处（拐点）是合适的 k；右：抽样客户的平均轮廓系数，越高表示各簇分得越开。建议的 k 以橙色标出。", "Left: the inertia for each k, which falls as k grows; where it stops falling steeply (the elbow) is a fitting k. Right: the mean silhouette of the sampled customers; higher means better separated clusters. The suggested k is marked in orange.";
    SumLayout => "文件内容", "The file holds";
    SumLayoutLines => "订单明细（每行一条订单行）", "order lines (one row per order line)";
    SumLayoutSummary => "客户汇总表（每行一位客户）", "a per-customer summary (one row per customer)";
    SumLayoutHint => "客户汇总表：每行一位客户的订单数、销售额、利润、首次和最近购买日期（例如 SQL 分析包的 vl_customers）。所有分析都从这些汇总值计算。", "A per-customer summary: one row per customer with orders, sales, profit, first and last purchase (e.g. the SQL pack's vl_customers). Every analysis is computed from these figures.";
    SumRoleOrders => "订单数", "Orders";
    SumRoleSales => "销售额", "Sales";
    SumRoleFirst => "首次购买日期", "First purchase";
    SumRoleLast => "最近购买日期", "Last purchase";
    SumRoleLines => "订单行数", "Order lines";
    SumRoleReturns => "退货行数", "Return lines";
    SumInputFact => "输入", "Input";
    SumInputSummary => "客户汇总表（每行一位客户）：订单数按文件给出，不重新计数；没有各次购买日期和月度销售额", "a per-customer summary (one row per customer): orders as given, not re-counted; no purchase days and no monthly sales";
    SumLimitedLifecycle => "这份数据是客户汇总表：只有每位客户的首次和最近购买日期，没有其间的各次购买日期，因此无法计算客户生命周期（活跃、新增、流失、留存、同期群、购买间隔）。请导入订单明细以使用此视图。", "This data is a per-customer summary: it has each customer's first and last purchase but not the purchases between them, so the lifecycle (active, new, lost, retention, cohorts, time between purchases) cannot be computed. Import the order lines for this view.";
    SumLimitedClv => "这份数据是客户汇总表：BG/NBD 与 Gamma-Gamma 模型需要按天计的重复购买（x、t_x、T）。由订单数、首次和最近购买日期只能近似（x = 订单数 − 1，同一天的多笔订单会被多算），因此这里不拟合模型，以免给出错误的预测。请导入订单明细以使用此视图。", "This data is a per-customer summary: the BG/NBD and Gamma-Gamma models need repeat purchases by day (x, t_x, T). From orders, first and last purchase they can only be approximated (x = orders − 1, which counts several orders of one day as several purchases), so the models are not fitted here rather than giving wrong predictions. Import the order lines for this view.";
    SumLimitedSql => "SQL 分析包读取订单明细；这份数据是客户汇总表（也可能正是分析包的输出），因此不提供 SQL 文件。", "The SQL pack reads order lines; this data is a per-customer summary (perhaps the pack's own output), so no SQL file is offered.";
    SumLimitedMonthly => "客户汇总表没有月度销售额：按月的销售额图和“衰退客户”（比较两个时期的销售额）无法计算。", "A per-customer summary has no monthly sales: the sales per month and the declining customers (which compare two periods' sales) cannot be computed.";
    // Table files: Excel workbooks and Parquet (issue 17).
    FileFormat => "文件格式", "File format";
    FormatText => "文本（CSV）", "Text (CSV)";
    FormatExcel => "Excel 工作簿（.xlsx）", "Excel workbook (.xlsx)";
    FormatParquet => "Parquet 文件", "Parquet file";
    SheetName => "工作表", "Sheet";
    BlankRowsSkipped => "跳过的空行", "Empty rows skipped";
    // The customer master file (issue 20).
    MasterFile => "客户主数据", "Customer master file";
    MasterHint => "一行一个客户：客户编号，以及地区、行业、年龄或成立年份等属性。按客户编号与订单关联（忽略首尾空格、大小写和全角半角），其属性随即出现在十分位和 RFM 视图的“分维度查看”中；有主数据而没有订单的客户列为潜在客户。", "One row per customer: a customer id and attributes such as region, industry, age or founding year. Joined to the orders on the customer id (ignoring surrounding spaces, letter case and full-width characters); its attributes then appear in the deciles and RFM views' breakdowns, and customers in the master without orders are listed as prospects.";
    MasterNeedsOrders => "先导入订单数据，再导入客户主数据。", "Import the orders first, then the customer master file.";
    MasterChoose => "选择客户主数据文件", "Choose a customer master file";
    MasterDrop => "或把客户主数据文件拖到这里", "or drop a customer master file here";
    MasterReading => "正在读取客户主数据文件并与订单匹配…", "Reading the customer master file and matching it to the orders…";
    MasterTooLarge => "客户主数据文件过大（上限 100 MB）。", "The customer master file is too large (at most 100 MB).";
    MasterUnreadable => "浏览器无法读取该客户主数据文件。", "The browser could not read the customer master file.";
    MasterLoaded => "已读入客户主数据“{0}”", "Customer master file “{0}” read";
    MasterRows => "主数据客户", "Master rows";
    MasterMatched => "匹配到的订单客户", "Order customers matched";
    MasterUnmatched => "主数据中没有的订单客户", "Order customers not in the master";
    MasterMatchRate => "匹配率（订单客户）", "Match rate (order customers)";
    MasterDuplicates => "重复的客户编号", "Duplicate ids";
    MasterProspects => "潜在客户（无订单）", "Prospects (no orders)";
    MasterRejected => "未读入的行", "Rows not read";
    MasterIdColumn => "客户编号列", "Customer id column";
    MasterColumnsTitle => "各列的含义", "What each column means";
    MasterDuplicateWarning => "{0} 行的客户编号与前面的行重复，只取第一行：{1}", "{0} rows repeat an earlier row's customer id; the first row is kept: {1}";
    MasterDuplicateLine => "第 {0} 行（{1}，同第 {2} 行）", "line {0} ({1}, as line {2})";
    MasterUnmatchedTitle => "主数据中没有的订单客户", "Order customers not in the master";
    MasterProspectsTitle => "潜在客户：在主数据中但没有订单", "Prospects: in the master but without orders";
    MasterListMore => "另有 {0} 个，见 CSV。", "{0} more in the CSV.";
    MasterAllMatched => "每个订单客户都在主数据中。", "Every order customer is in the master.";
    MasterNoProspects => "主数据中的每个客户都有订单。", "Every customer in the master has orders.";
    MasterRemove => "移除客户主数据", "Remove the customer master file";
    MasterJoined => "主数据的属性已加入十分位和 RFM 视图的“分维度查看”。", "The master's attributes are in the deciles and RFM views' breakdowns.";
    MasterReportValue => "“{0}”：{1} 行，匹配率 {2}（{3} / {4} 个订单客户），潜在客户 {5} 个，重复编号 {6} 个", "“{0}”: {1} rows, match rate {2} ({3} of {4} order customers), {5} prospects, {6} duplicate ids";
    // Customer profiles and correlations (客户画像, issue 20).
    NavProfiles => "客户画像", "Profiles";
    ProfTitle => "客户画像", "Customer profiles";
    ProfIntro => "每个客户属性的分布（客户数、客户占比、销售额占比），年龄或出生/成立年份的年龄段，以及客户属性与最近一次消费、消费频率、消费金额和利润之间的相关性。", "How the customers spread over each customer attribute (customers, share of customers, share of sales), age bands for an age or a birth/founding year, and the correlation between the attributes and recency, frequency, monetary and profit.";
    ProfNoAttributes => "没有客户属性列。在“数据”视图的导入设置中，把地区、渠道、行业、年龄等列的角色设为“客户属性”，再导入一次，即可看到客户画像。", "No customer attribute columns. In the Data view's import settings, give columns such as region, channel, industry or age the role “Customer attribute” and import again to see the profiles.";
    ProfDistributionTitle => "按{0}的客户分布", "Customers by {0}";
    ProfAgeTitle => "{0}的年龄段", "Age bands of {0}";
    ProfYearTitle => "{0}的年龄段：距出生或成立的年数（以 {1} 年计）", "Age bands of {0}: years since birth or founding (as of {1})";
    ProfBand => "年龄段", "Age band";
    ProfBandUnder25 => "25 岁以下", "Under 25";
    ProfBand65 => "65 岁及以上", "65 and over";
    ProfBandUnknown => "未知", "Unknown";
    ProfUnknownNote => "未知：空白、不是数字或不可能的值（小于 0 或大于 120 岁，或晚于参考年份的年份）共 {0} 位客户，已计入并单独列出。", "Unknown: {0} customers with a blank, a value that is not a number, or an impossible one (below 0 or above 120 years, or a year after the reference year), counted and shown apart.";
    ProfYearNote => "出生或成立年份按最近一次购买所在年份（{0} 年）换算为年数；成立年份即为企业成立的年数。", "Birth or founding years are read as years up to the year of the latest purchase ({0}); for a founding year that is the company's age.";
    ProfNoYearNote => "{0}是年份，但数据没有日期列，无法换算为年龄段。", "{0} holds years, but the data has no date column to count ages to.";
    ProfChartDesc => "{0}：各取值的客户占比（深色）与销售额占比（浅色）。", "{0}: the share of customers (dark) and of sales (light) of each value.";
    ProfCorrTitle => "客户属性之间的相关性", "Correlation between customer variables";
    ProfCorrIntro => "每一对变量用适合其类型的度量：数值 × 数值用 Spearman ρ（−1 到 1，按秩计算，并列取平均秩），类别 × 类别用偏差校正的 Cramér's V（Bergsma 2013，0 到 1），类别 × 数值用相关比 η（0 到 1）。每格给出度量、强度和 n（两个值都有的客户数；空白类别算作一个取值，不是数字的值算缺失）。", "Each pair is measured to fit its types: number × number by Spearman's ρ (−1 to 1, on ranks, ties at their average rank), category × category by the bias-corrected Cramér's V (Bergsma 2013, 0 to 1), category × number by the correlation ratio η (0 to 1). Each cell gives the measure, its strength and n (customers with both values; a blank category is a value, a value that is not a number is missing).";
    ProfCorrCause => "相关不等于因果：两个变量一起变化，可能是第三个因素同时影响了它们。", "Correlation is not cause: two variables that move together may both follow a third.";
    ProfStrengthNote => "强度按绝对值：小于 0.1 几乎无关，0.1–0.3 弱，0.3–0.5 中等，0.5 及以上强。", "Strength by absolute value: below 0.1 negligible, 0.1–0.3 weak, 0.3–0.5 moderate, 0.5 and above strong.";
    ProfStrengthNone => "几乎无关", "negligible";
    ProfStrengthWeak => "弱", "weak";
    ProfStrengthModerate => "中等", "moderate";
    ProfStrengthStrong => "强", "strong";
    ProfUndefined => "无法计算", "undefined";
    ProfVariable => "变量", "Variable";
    ProfRecency => "最近一次消费（天）", "Recency (days)";
    ProfFrequency => "消费频率（订单）", "Frequency (orders)";
    ProfMonetary => "消费金额（净销售额）", "Monetary (net sales)";
    ProfProfit => "利润", "Profit";
    ProfHeatmapTitle => "相关性热图", "Correlation heat map";
    ProfHeatmapDesc => "颜色越深，相关越强：蓝色为正（或无方向的 V、η），橙色为负；最强的一对是 {0}。", "The darker, the stronger: blue for positive (or V and η, which have no direction), orange for negative; the strongest pair is {0}.";
    ProfReportTitle => "客户画像与相关性", "Customer profiles and correlations";
    ClusterDimTitle => "客户群 × {0}", "Clusters × {0}";
    ClusterDimNote => "每行是一个客户群的客户按{0}的分布（前 10 个取值加“其他”，年龄为年龄段），行合计等于该客户群的客户数。", "Each row spreads a cluster's customers over {0} (the top 10 values and “Other”, ages in bands); each row adds up to the cluster's size.";
    FilterBy => "筛选客户", "Filter customers";
    FilterAll => "（全部客户）", "(all customers)";
    FilterValues => "保留这些取值的客户", "Keep the customers with";
    FilterModeLabel => "评分", "Scores";
    FilterModeKeep => "保留全体客户的评分", "Keep the scores of all customers";
    FilterModeRescore => "在筛选范围内重新评分", "Re-score within the filter";
    FilterNoteAll => "全部 {0} 位客户", "All {0} customers";
    FilterNoteFiltered => "已筛选：{0} = {1} — {3} 位客户中的 {2} 位；{4}", "Filtered: {0} = {1} — {2} of {3} customers; {4}";
    FilterNoteKept => "评分来自全部客户（保留）", "scores from all customers (kept)";
    FilterNoteRescored => "评分在筛选范围内重新计算", "scores re-computed within the filter";
    FilterNoteRescoredLines => "评分在筛选范围内重新计算：M 为匹配明细的净消费额，F 为含匹配明细的订单数（R 仍为客户最近一次购买）", "scores re-computed within the filter: M is the net spend on matching lines, F the orders with a matching line (R stays the customer's latest purchase)";
    FilterLineGroup => "订单明细属性（购买过所选取值的客户）", "Line attribute (customers who bought the chosen values)";
    FilterValueSeparator => "、", ", ";
    FilterNoneChosen => "勾选一个或多个取值以筛选客户。", "Tick one or more values to filter the customers.";
    FilterKeepHint => "保留：十分位和 RFM 分群按全部客户计算，只统计筛选出的客户；生命周期、CLV 和聚类只用筛选出的客户。", "Keep: deciles and RFM segments are those of all customers, counted for the filtered ones; the lifecycle, CLV and clusters use the filtered customers only.";
    // The monthly table read back next to a summary (issue 17).
    MonthlyTitle => "每月明细", "Monthly table";
    MonthlyHint => "可以添加这些客户的每月明细（SQL 分析包的 vl_monthly：客户、月份、销售额、利润；CSV、Parquet 或 .xlsx）。每位客户各月销售额之和必须等于汇总表中的销售额，否则不采用。", "Add the monthly table of these customers (the SQL pack's vl_monthly: customer, month, sales, profit; CSV, Parquet or .xlsx). Each customer's months must add up to the sales in the summary, or the table is not used.";
    MonthlyChoose => "选择每月明细文件", "Choose the monthly table";
    MonthlyApplied => "已读取每月明细“{0}”：{1} 行，{2} 位客户，各月合计与汇总表一致。按月销售额和衰退客户已据此计算；客户生命周期和 CLV 模型需要每一次购买的日期，月份不能代替，因此仍不可用。", "Monthly table '{0}' read: {1} rows, {2} customers, every customer's months add up to the summary. The sales per month and the declining customers now come from it; the lifecycle and the CLV models need every purchase day, which months do not give, so they stay unavailable.";
    MonthlyRefused => "每月明细“{0}”未被采用：{1} 行被拒绝，{2} 位客户的各月合计与汇总表不一致。", "Monthly table '{0}' not used: {1} rows rejected, {2} customers whose months do not add up to the summary.";
    MonthlyMismatchSales => "客户 {0}：汇总表销售额 {1}，各月合计 {2}", "Customer {0}: sales {1} in the summary, {2} over the months";
    MonthlyMismatchProfit => "客户 {0}：汇总表利润 {1}，各月合计 {2}", "Customer {0}: profit {1} in the summary, {2} over the months";
    MonthlyMissingColumns => "每月明细“{0}”缺少这些列：{1}", "The monthly table '{0}' has no column for: {1}";
    MonthlyNoRows => "每月明细“{0}”只有表头，没有数据行。", "The monthly table '{0}' has a header but no rows.";
    MonthlyUnreadable => "无法读取每月明细“{0}”：{1}", "Could not read the monthly table '{0}': {1}";
    MonthlyColCustomer => "客户", "customer";
    MonthlyColMonth => "月份", "month";
    MonthlyColSales => "销售额", "sales";
    MonthlyColProfit => "利润", "profit";
    MonthlyColumnSeparator => "、", ", ";
    LineAttributeGroup => "订单行属性", "Line attribute";
    LineCategory => "品类", "Category";
    LineProduct => "产品", "Product";
    LineSku => "货号（SKU）", "SKU";
    LinesNotKept => "只汇总前 {0} 个订单行属性；{1} 已标记但不汇总。", "Only the first {0} line attributes are aggregated; {1} marked but not aggregated.";
    MixTitle => "产品结构：{0}占各分群销售额的比例", "Product mix: each {0}'s share of each segment's sales";
    MixDecileTitle => "产品结构：{0}占各十分位销售额的比例", "Product mix: each {0}'s share of each decile's sales";
    MixBaseTitle => "按{0}：全体客户的销售额与客户数", "By {0}: sales and customers of the whole base";
    MixShareIndex => "{0}（指数 {1}）", "{0} (index {1})";
    MixShare => "销售额占比", "Share of sales";
    MixIndexNote => "每格为该{0}占该组销售额的比例，括号内为指数 = 组内占比 ÷ 全体占比 × 100（100 即与全体相同）。", "Each cell is the {0}'s share of the group's sales; in brackets the index = share in the group ÷ share in the whole base × 100 (100: as in the whole base).";
    MixOverlapNote => "在多个{0}下都有购买的客户在每个{0}中各计一次，所以各{0}的客户数相加不等于客户总数。", "A customer buying in several {0} values is counted in each, so the customer counts of the values do not add up to the number of customers.";
    MixTopNote => "显示销售额最高的 {0} 个取值，其余 {1} 个合并为“其他”。", "The {0} values with the largest sales are shown; the other {1} are merged into “Other”.";
    MixChoose => "产品结构按", "Product mix by";
    MixReportTitle => "产品结构", "Product mix";
}

/// One board of the example SWOT workbench: its name and its items (quadrant, text, score).
pub struct ExampleBoard {
    /// The board's name.
    pub name: &'static str,
    /// The items.
    pub items: Vec<(Quadrant, &'static str, f64)>,
}

/// The example SWOT workbench of a small retailer (our board first, then two competitors), in
/// `lang`: what the SWOT view offers to load beside the sample orders.
pub fn swot_example(lang: Lang) -> Vec<ExampleBoard> {
    use Quadrant::{Opportunities as O, Strengths as S, Threats as T, Weaknesses as W};
    let zh = lang == Lang::Zh;
    let t = |zh_text: &'static str, en_text: &'static str| if zh { zh_text } else { en_text };
    vec![
        ExampleBoard {
            name: t("我方", "Us"),
            items: vec![
                (S, t("老客户复购率高", "Loyal repeat customers"), 8.0),
                (S, t("门店服务口碑好", "Well-liked in-store service"), 7.0),
                (W, t("线上渠道薄弱", "Weak online channel"), 6.0),
                (W, t("新品上市慢", "Slow to launch new products"), 5.0),
                (
                    O,
                    t("会员体系可深挖", "Room to grow the loyalty programme"),
                    7.0,
                ),
                (O, t("周边新社区入住", "New housing estates nearby"), 6.0),
                (T, t("电商平台价格战", "Price war on the marketplaces"), 7.0),
                (T, t("租金上涨", "Rising rents"), 5.0),
            ],
        },
        ExampleBoard {
            name: t("竞争对手甲（连锁店）", "Competitor A (chain store)"),
            items: vec![
                (S, t("规模采购价格低", "Low prices from scale"), 8.0),
                (S, t("网点多", "Many outlets"), 7.0),
                (
                    W,
                    t("服务标准化、缺少个性", "Standard, impersonal service"),
                    6.0,
                ),
                (
                    O,
                    t("进入社区团购", "Moving into community group buying"),
                    6.0,
                ),
                (T, t("总部决策慢", "Slow decisions at headquarters"), 4.0),
            ],
        },
        ExampleBoard {
            name: t("竞争对手乙（网店）", "Competitor B (web shop)"),
            items: vec![
                (S, t("线上流量大", "Large online audience"), 9.0),
                (W, t("售后体验差", "Poor after-sales experience"), 6.0),
                (W, t("没有线下体验", "No place to see the goods"), 5.0),
                (O, t("直播带货", "Live-stream selling"), 7.0),
                (T, t("平台佣金上涨", "Rising platform fees"), 6.0),
            ],
        },
    ]
}

/// The name of a decile customer group.
pub fn group_text(kind: GroupKind) -> Text {
    match kind {
        GroupKind::Retain => Text::GroupRetain,
        GroupKind::Grow => Text::GroupGrow,
        GroupKind::Declining => Text::GroupDeclining,
        GroupKind::Transaction => Text::GroupTransaction,
    }
}

/// The name of a SWOT quadrant.
pub fn quadrant_text(quadrant: Quadrant) -> Text {
    match quadrant {
        Quadrant::Strengths => Text::Strengths,
        Quadrant::Weaknesses => Text::Weaknesses,
        Quadrant::Opportunities => Text::Opportunities,
        Quadrant::Threats => Text::Threats,
    }
}

/// The name of an RFM value tier.
pub fn tier_text(tier: ValueTier) -> Text {
    match tier {
        ValueTier::High => Text::TierHigh,
        ValueTier::Medium => Text::TierMedium,
        ValueTier::Low => Text::TierLow,
    }
}

/// A SWOT board's name as shown: our board under its default name reads 我方 in Chinese.
pub fn board_name(name: &str, is_us: bool, lang: Lang) -> String {
    if is_us && name == DEFAULT_US_NAME && lang == Lang::Zh {
        "我方".to_string()
    } else {
        name.to_string()
    }
}

/// The label of value slice `index` (1..=10): `0–10%` … `90–100%`.
pub fn slice_label(index: u8) -> String {
    format!("{}–{}%", (index as u32 - 1) * 10, index as u32 * 10)
}

/// Thousands-grouped number with `decimals` digits after the point (`1,234.50`).
pub fn format_number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::with_capacity(text.len() + text.len() / 3 + 1);
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let negative = value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if let Some(frac) = frac_part {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A share as a percentage (`0.1234` → `12.3%`).
pub fn format_percent(share: f64, decimals: usize) -> String {
    if !share.is_finite() {
        return "–".to_string();
    }
    format!("{}%", format_number(share * 100.0, decimals))
}

/// A money amount: two decimals, grouped. The currency is whatever the file used.
pub fn format_money(value: f64) -> String {
    format_number(value, 2)
}

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A day: `2024年1月5日` or `5 Jan 2024`.
pub fn format_date(day: Day, lang: Lang) -> String {
    let Some(date) = day.date() else {
        return "–".to_string();
    };
    match lang {
        Lang::Zh => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Lang::En => format!(
            "{} {} {}",
            date.day(),
            MONTH_NAMES[date.month0() as usize],
            date.year()
        ),
    }
}

/// A month: `2024年1月` or `Jan 2024`.
pub fn format_month(month: Month, lang: Lang) -> String {
    let (year, month0) = (month.year(), month.month0() as usize);
    match lang {
        Lang::Zh => format!("{}年{}月", year, month0 + 1),
        Lang::En => format!("{} {}", MONTH_NAMES[month0], year),
    }
}

/// A short month label for chart axes: `24/1` or `Jan 24`.
pub fn format_month_short(month: Month, lang: Lang) -> String {
    let (year, month0) = (month.year(), month.month0() as usize);
    match lang {
        Lang::Zh => format!("{}/{}", year % 100, month0 + 1),
        Lang::En => format!("{} {:02}", MONTH_NAMES[month0], year % 100),
    }
}

/// Why a row was rejected, in `lang`.
pub fn row_problem_text(problem: RowProblem, lang: Lang) -> String {
    match lang {
        Lang::En => problem.describe(),
        Lang::Zh => match problem {
            RowProblem::ExtraColumns { found, expected } => {
                return format!("该行有 {found} 个字段，而表头只有 {expected} 列：数值错位")
            }
            RowProblem::SplitNumber { found, expected } => {
                return format!(
                    "该行有 {found} 个字段，而表头只有 {expected} 列：某个数字在千位或小数分隔符处被拆开了（分隔符与列分隔符相同），请给它加引号或去掉千位分隔符"
                )
            }
            RowProblem::RunawayQuote { lines } => {
                return format!(
                    "此处开始的引号在 {lines} 行内都没有闭合，这些行没有作为数据行读取（可选择“引号按普通字符读取”重新导入）"
                )
            }
            RowProblem::RecordTooLong { lines } => {
                return format!("该行超过 1 MiB（共 {lines} 行），未读取")
            }
            RowProblem::NotOnScale { min, max } => {
                return format!("应为 {min} 到 {max} 分之间的回答，或该量表的评价词")
            }
            RowProblem::NoAnswer => "这条回答没有回答任何问题",
            RowProblem::NotACount { min } => return format!("应为不小于 {min} 的整数"),
            RowProblem::FirstAfterLast => "首次购买日期晚于最近购买日期",
            RowProblem::DuplicateCustomer => "该客户已在前面的行中出现",
            RowProblem::UnknownCustomer => "汇总表中没有这位客户",
            RowProblem::NotAMonth => "应为月份，例如 2024-03",
            RowProblem::DuplicateMonth => "该客户的这个月份已在前面的行中出现",
            RowProblem::Missing => "单元格为空",
            RowProblem::NotANumber => "应为数字",
            RowProblem::NotADate => "应为日期",
            RowProblem::TooFewColumns => "该行的列数不够",
            RowProblem::BadEncoding => "含有该编码下无效的字节",
            RowProblem::UnknownQuadrant => "应为象限：S、W、O、T 或 优势、劣势、机会、威胁",
            RowProblem::ScoreOutOfRange => "评分应在 1 到 10 之间",
            RowProblem::WeightOutOfRange => "权重应为 0 或正数",
            RowProblem::DuplicateScore => "该评分人已给这一项打过分",
        }
        .to_string(),
    }
}

/// A rejected row's message in `lang`.
pub fn row_error_text(error: &RowError, lang: Lang) -> String {
    match lang {
        Lang::En => error.to_string(),
        Lang::Zh => {
            let mut text = format!(
                "第 {} 行，列“{}”：{}",
                error.line,
                error.column,
                row_problem_text(error.problem, lang)
            );
            if !error.value.is_empty() {
                text.push_str(&format!("，实际为“{}”", error.value));
            }
            text
        }
    }
}

/// An error's message in `lang`.
pub fn error_text(error: &Error, lang: Lang) -> String {
    if lang == Lang::En {
        let text = error.to_string();
        let mut chars = text.chars();
        return match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => text,
        };
    }
    match error {
        Error::EmptyFile => "文件是空的。".into(),
        Error::HeaderOnly => "文件只有表头，没有数据行。".into(),
        Error::Binary { what } => format!(
            "这不是文本文件（{}）。请在 Excel 中另存为 CSV 后再导入。",
            binary_what_zh(*what)
        ),
        Error::NoCustomerColumn => "没有指定客户编号列。请在导入设置中选择哪一列是客户。".into(),
        Error::NoAmountColumn => "没有指定销售额列。请在导入设置中选择哪一列是金额。".into(),
        Error::NoOrdersColumn => {
            "没有指定订单数列。请在导入设置中选择客户汇总表中哪一列是订单数。".into()
        }
        Error::NoSuchColumn { index, count } => {
            format!("第 {} 列不存在：文件只有 {} 列。", index + 1, count)
        }
        Error::AllRowsRejected { rows, first } => {
            let first = first
                .as_ref()
                .map(|error| row_error_text(error, lang))
                .unwrap_or_default();
            format!("全部 {rows} 行数据都被拒绝。第一个问题：{first}")
        }
        Error::UnknownEncoding(name) => format!("未知的编码“{name}”。"),
        Error::LegacyEncoding { name } => format!(
            "文件的编码{}不是 UTF-8，本模块不能解码，应由读取表格文件的模块读取。请刷新页面后再试。",
            name.as_ref().map(|n| format!("（{n}）")).unwrap_or_default()
        ),
        Error::Cancelled => "导入已取消。".into(),
        Error::Parameter { name, reason } => {
            format!(
                "参数“{}”：{}",
                parameter_words(name),
                parameter_problem_text(reason, lang)
            )
        }
        Error::NoData => "没有可分析的数据。".into(),
        Error::Chart { chart, reason } => match reason {
            ChartProblem::NotFinite { value } => {
                format!("图表“{chart}”无法绘制：数值 {value} 不是有限数")
            }
            ChartProblem::Drawing { .. } => format!("图表“{chart}”无法绘制"),
        },
        Error::Format { what, reason } => format!(
            "无法读取{}：{}",
            format_subject_zh(*what),
            format_problem_text(reason, lang)
        ),
        Error::SwotColumnsMissing { missing } => {
            let names: Vec<&str> = missing.iter().map(|&c| swot_column_zh(c)).collect();
            format!("无法读取 SWOT 文件：表头缺少{}列。", names.join("、"))
        }
        Error::NewerWorkspace { version, supported } => format!(
            "这个工作区文件由较新版本的 ValueLens 保存（版本 {version}），\
             当前版本只能读取到版本 {supported}。请使用最新版 ValueLens 打开。"
        ),
        Error::BeyondBrowser {
            part,
            rows,
            customers,
        } => {
            let part = match part {
                crate::engine::error::BrowserLimit::Customers => "客户记录",
                crate::engine::error::BrowserLimit::Orders => "订单记录",
            };
            format!(
                "这个文件超出了一个浏览器标签页能容纳的大小：读到第 {rows} 行时，{part}已无法放入内存\
                 （此时已有 {customers} 位客户）。SQL 包可以在数据所在的 DuckDB 或 Spark 中\
                 计算同样的结果。"
            )
        }
        Error::TooManyColumns { line, count, limit } => {
            format!(
                "第 {line} 行有 {count} 列，ValueLens 最多读取 {limit} 列。这不像一份表格导出。"
            )
        }
        Error::LineTooLong { line, limit } => {
            format!("第 {line} 行超过 {limit} 字节，这不是一份表格导出。")
        }
        Error::Workspace(problem) => workspace_problem_zh(problem),
        Error::Table { kind, problem } => table_error_zh(*kind, problem),
        Error::Model { model, problem } => {
            let model = match model {
                FitModel::BgNbd => "BG/NBD 购买次数模型",
                FitModel::GammaGamma => "Gamma-Gamma 客单价模型",
                FitModel::KMeans => "k-means 聚类",
            };
            match problem {
                ModelProblem::TooFewRepeatCustomers { found, min } => {
                    format!("{model}无法拟合：只有 {found} 位回购客户，至少需要 {min} 位。")
                }
                ModelProblem::NotConverged => format!("{model}拟合未收敛，没有可信的参数。"),
                ModelProblem::TooFewCustomers { found, min } => {
                    format!("{model}无法进行：只有 {found} 位客户，至少需要 {min} 位。")
                }
                ModelProblem::TooFewDistinct { found, min } => format!(
                    "{model}无法进行：客户的 R、F、M 只有 {found} 种不同组合，至少需要 {min} 种。"
                ),
                ModelProblem::NotFinite { row } => {
                    format!("{model}无法进行：第 {} 位客户的数值不是有限数。", row + 1)
                }
            }
        }
    }
}

/// A table file's refusal ([`Error::Table`]) in Chinese.
fn table_error_zh(kind: crate::engine::formats::FileKind, problem: &TableProblem) -> String {
    use crate::engine::formats::FileKind;
    let what = match kind {
        FileKind::Text => "文本文件",
        FileKind::Xlsx => "Excel .xlsx 工作簿",
        FileKind::Parquet => "Parquet 文件",
        FileKind::OldExcel => "Excel 97-2003 .xls 工作簿",
    };
    let why = match problem {
        TableProblem::OldExcel => {
            "不支持 Excel 97-2003 的 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV 后再导入。".into()
        }
        TableProblem::TooLarge { bytes, limit } => {
            format!("文件有 {bytes} 字节，最多读取 {limit} 字节。请另存为 CSV 后再导入。")
        }
        TableProblem::Damaged { .. } => "文件已损坏，或并不是它的扩展名所说的格式。".into(),
        TableProblem::NotAWorkbook => "这是一个 ZIP 压缩包，但不是 Excel 工作簿。".into(),
        TableProblem::Unsupported { .. } => "文件用到了 ValueLens 不支持读取的功能。".into(),
        TableProblem::NoSheets => "工作簿里没有工作表。".into(),
        TableProblem::NoSuchSheet { name } => format!("工作簿里没有名为“{name}”的工作表。"),
        TableProblem::EmptySheet { name } => format!("工作表“{name}”是空的。"),
        TableProblem::TooManyColumns { count, limit } => {
            format!("表格有 {count} 列，ValueLens 最多读取 {limit} 列。")
        }
        TableProblem::Inflated { bytes, limit } => format!(
            "工作簿解压后有 {bytes} 字节，对这样大小的文件 ValueLens 最多解压 {limit} 字节（可能是压缩炸弹）。请另存为 CSV 后再导入。"
        ),
        TableProblem::SheetTooLarge {
            rows,
            columns,
            limit,
        } => format!(
            "工作表的单元格跨越 {rows} 行、{columns} 列，ValueLens 最多读取 {limit} 个单元格。请只保留数据区域或另存为 CSV 后再导入。"
        ),
    };
    format!("无法读取{what}：{why}")
}

fn binary_what_zh(what: BinaryKind) -> &'static str {
    match what {
        BinaryKind::Png => "PNG 图片",
        BinaryKind::Jpeg => "JPEG 图片",
        BinaryKind::Gif => "GIF 图片",
        BinaryKind::WebP => "WebP 图片",
        BinaryKind::Pdf => "PDF 文档",
        BinaryKind::ZipOrXlsx => "ZIP 压缩包或 Excel .xlsx 工作簿",
        BinaryKind::XlsOrOffice => "Excel .xls 工作簿或其他 Office 文件",
        BinaryKind::Gzip | BinaryKind::Rar | BinaryKind::SevenZip => "压缩包",
        BinaryKind::WebAssembly | BinaryKind::Sqlite | BinaryKind::Unknown => "二进制数据",
        BinaryKind::Parquet => "Parquet 文件",
    }
}

fn format_subject_zh(what: FormatSubject) -> &'static str {
    match what {
        FormatSubject::WorkspaceFile => "工作区文件",
        FormatSubject::SwotFile => "SWOT 文件",
        FormatSubject::SavedBoards => "保存的 SWOT 打分表",
        FormatSubject::File => "文件",
        FormatSubject::ImportResult => "导入结果",
        FormatSubject::ImportSecondHalf => "导入的后半部分",
        FormatSubject::Request => "请求",
        FormatSubject::Response => "应答",
        FormatSubject::ParquetFile => "Parquet 文件",
    }
}

/// The Chinese name of a workspace part and of what its `at` counts (the English ones are
/// [`WorkspacePart::describe`] and [`WorkspacePart::counted`]).
fn workspace_part_zh(part: WorkspacePart) -> (&'static str, &'static str) {
    let name = match part {
        WorkspacePart::Competitors => "竞争对手",
        WorkspacePart::QuadrantItems => "同一象限的条目",
        WorkspacePart::Respondents => "同一条目的评分",
        WorkspacePart::ItemText => "条目文字",
        WorkspacePart::BoardName => "打分表名称",
        WorkspacePart::CustomerId => "客户编号",
        WorkspacePart::Months => "月份数",
        WorkspacePart::Month => "月份",
        WorkspacePart::FirstDay => "首次购买日期",
        WorkspacePart::LastDay => "最近购买日期",
        WorkspacePart::Rows => "行数",
        WorkspacePart::Orders => "订单数",
        WorkspacePart::Returns => "退货行数",
        WorkspacePart::Sales => "净销售额",
        WorkspacePart::Profit => "净利润",
        WorkspacePart::Quantity => "数量",
        WorkspacePart::MonthSales => "月销售额",
        WorkspacePart::MonthProfit => "月利润",
        WorkspacePart::RowCounts => "读取、接受和拒绝的行数",
        WorkspacePart::ReturnRows => "退货行合计",
        WorkspacePart::RowErrors => "被拒绝行的说明",
        WorkspacePart::ReportDays => "数据的起止日期",
        WorkspacePart::Columns => "可选列",
        WorkspacePart::Headers => "列名",
        WorkspacePart::FileName => "文件名",
        WorkspacePart::Cover => "报告封面",
        WorkspacePart::SavedAt => "保存时间",
        WorkspacePart::PurchaseDays => "购买日记录",
        WorkspacePart::PurchaseDayLengths => "购买日记录的长度",
        WorkspacePart::CustomerAttributes => "客户属性",
        WorkspacePart::LineAttributes => "订单行属性",
        WorkspacePart::MasterFile => "客户主数据文件",
        WorkspacePart::SurveyFile => "满意度调查文件",
    };
    let counted = match part {
        WorkspacePart::QuadrantItems
        | WorkspacePart::Respondents
        | WorkspacePart::ItemText
        | WorkspacePart::BoardName => "个打分表",
        WorkspacePart::RowErrors => "条拒绝说明",
        WorkspacePart::Headers => "列",
        WorkspacePart::CustomerAttributes | WorkspacePart::LineAttributes => "个属性",
        _ => "位客户",
    };
    (name, counted)
}

/// A [`WorkspaceProblem`] in Chinese.
fn workspace_problem_zh(problem: &WorkspaceProblem) -> String {
    let (WorkspaceProblem::TooMany { part, at, .. }
    | WorkspaceProblem::TooLong { part, at, .. }
    | WorkspaceProblem::OutOfRange { part, at, .. }
    | WorkspaceProblem::Disagree { part, at }
    | WorkspaceProblem::Unreadable { part, at }) = problem;
    let (name, counted) = workspace_part_zh(*part);
    let place = at.map_or(String::new(), |at| format!("第 {at} {counted}的"));
    match problem {
        WorkspaceProblem::TooMany { count, max, .. } => {
            format!("{place}{name}有 {count} 个，超过了允许的 {max} 个。")
        }
        WorkspaceProblem::TooLong { chars, max, .. } => {
            format!("{place}{name}有 {chars} 个字符，超过了允许的 {max} 个。")
        }
        WorkspaceProblem::OutOfRange { value, .. } => {
            format!("{place}{name}超出范围：{value}。")
        }
        WorkspaceProblem::Disagree { .. } => format!("{place}{name}与其他数字不一致。"),
        WorkspaceProblem::Unreadable { .. } => format!("{place}{name}无法读取。"),
    }
}

/// The name of a customer attribute kind.
pub fn attribute_kind_text(kind: crate::engine::dimensions::AttributeKind) -> Text {
    use crate::engine::dimensions::AttributeKind;
    match kind {
        AttributeKind::Region => Text::DimRegion,
        AttributeKind::Industry => Text::DimIndustry,
        AttributeKind::Salesperson => Text::DimSalesperson,
        AttributeKind::Channel => Text::DimChannel,
        AttributeKind::CustomerType => Text::DimCustomerType,
        AttributeKind::Other => Text::DimOtherAttribute,
        AttributeKind::Age => Text::DimAge,
        AttributeKind::BirthYear => Text::DimBirthYear,
    }
}

/// The label of a line attribute kind.
pub fn line_kind_text(kind: crate::engine::dimensions::LineKind) -> Text {
    use crate::engine::dimensions::LineKind;
    match kind {
        LineKind::Category => Text::LineCategory,
        LineKind::Product => Text::LineProduct,
        LineKind::Sku => Text::LineSku,
    }
}

/// Why a file was not opened: another import was running (`running`, `refused`: file names, as
/// they are to be shown).
pub fn refusal_text(running: &str, refused: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "未打开“{refused}”：“{running}”正在导入。请先取消该导入或等待其完成，然后再打开此文件。"
        ),
        Lang::En => format!(
            "“{refused}” was not opened: an import of “{running}” is running. Cancel it first or wait for it to finish, then open this file again."
        ),
    }
}

/// The mapping step's note when it shows only some of the file's columns.
/// The mapping step's note that title rows above a sheet's header were skipped (`range`: their
/// cells, as `A1:F1`).
pub fn title_skipped_text(range: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已跳过表头上方的合并标题行 {range}，表头取自其下一行。"),
        Lang::En => {
            format!("Merged header rows {range} skipped; the header is the row below them.")
        }
    }
}

pub fn columns_shown_text(shown: usize, total: usize, lang: Lang) -> String {
    let (shown, total) = (
        format_number(shown as f64, 0),
        format_number(total as f64, 0),
    );
    match lang {
        Lang::Zh => {
            format!("文件共有 {total} 列，下表只显示其中 {shown} 列；其余各列可按列号指定用途。")
        }
        Lang::En => format!(
            "Showing {shown} of {total} columns; assign any other column by its number below."
        ),
    }
}

/// What the overview shows in place of the customer table while a big import's customers are
/// still being read into the page (its headline figures are on screen already).
pub fn customers_arriving_text(customers: usize, lang: Lang) -> String {
    let customers = format_number(customers as f64, 0);
    match lang {
        Lang::Zh => format!("正在载入 {customers} 位客户的明细……"),
        Lang::En => format!("Loading the {customers} customers' details…"),
    }
}

/// The note of a view whose analysis is being computed (deciles, RFM of many customers).
pub fn view_preparing_text(customers: usize, lang: Lang) -> String {
    let customers = format_number(customers as f64, 0);
    match lang {
        Lang::Zh => format!("正在计算 {customers} 位客户……"),
        Lang::En => format!("Computing {customers} customers…"),
    }
}

/// The name of a column role (客户编号, 销售额 …).
pub fn role_text(role: Role) -> Text {
    match role {
        Role::Customer => Text::RoleCustomer,
        Role::Order => Text::RoleOrder,
        Role::Date => Text::RoleDate,
        Role::Amount => Text::RoleAmount,
        Role::Profit => Text::RoleProfit,
        Role::Quantity => Text::RoleQuantity,
    }
}

/// A column's name as shown: the file's own header, or, for a column the file names not (see
/// [`default_column_name`]), `第 3 列` / `column 3`.
pub fn column_title(name: &str, index: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh if name == default_column_name(index) => format!("第 {} 列", index + 1),
        _ => name.to_string(),
    }
}

/// What the mapping step asks the user to decide ([`Concern`]), in `lang`.
pub fn concern_text(concern: Concern, lang: Lang) -> String {
    match (concern, lang) {
        (Concern::Missing(role), Lang::Zh) => {
            format!("请选择哪一列是“{}”（必填）。", role_text(role).get(lang))
        }
        (Concern::Missing(role), Lang::En) => format!(
            "Choose the column that holds the {} (required).",
            role_text(role).get(lang).to_lowercase()
        ),
        (Concern::Unsure(role), Lang::Zh) => {
            format!("“{}”列是按数值猜的，请核对。", role_text(role).get(lang))
        }
        (Concern::Unsure(role), Lang::En) => format!(
            "The {} column was guessed from the values: please check.",
            role_text(role).get(lang).to_lowercase()
        ),
        (Concern::AmbiguousDates, _) => Text::DateOrderAmbiguous.get(lang).to_string(),
        (Concern::ConflictingDates, Lang::Zh) => {
            "日期列中既有日/月也有月/日格式，无法统一解析的行将被拒绝。".into()
        }
        (Concern::ConflictingDates, Lang::En) => "The date column mixes day/month and month/day: \
             rows that do not fit the chosen order will be rejected."
            .into(),
        (Concern::UnsureEncoding, _) => Text::EvidenceUnsure.get(lang).to_string(),
        (Concern::RunawayQuote { line, lines }, Lang::Zh) => format!(
            "第 {line} 行开始的引号在 {lines} 行内都没有闭合，这些行会被当作一个单元格。可选择“引号按普通字符读取”。"
        ),
        (Concern::RunawayQuote { line, lines }, Lang::En) => format!(
            "A quote opened on line {line} is not closed for {lines} lines, which would be read \
             as one cell. You can read quotes as plain characters."
        ),
        (Concern::SummaryMissing(role), Lang::Zh) => {
            format!("请选择客户汇总表中哪一列是“{}”（必填）。", summary_role_text(role).get(lang))
        }
        (Concern::SummaryMissing(role), Lang::En) => format!(
            "Choose the column of the summary that holds the {} (required).",
            summary_role_text(role).get(lang).to_lowercase()
        ),
    }
}

/// The name of a per-customer summary's column role (issue 17).
pub fn summary_role_text(role: SummaryRole) -> Text {
    match role {
        SummaryRole::Customer => Text::RoleCustomer,
        SummaryRole::Orders => Text::SumRoleOrders,
        SummaryRole::Sales => Text::SumRoleSales,
        SummaryRole::Profit => Text::RoleProfit,
        SummaryRole::FirstPurchase => Text::SumRoleFirst,
        SummaryRole::LastPurchase => Text::SumRoleLast,
        SummaryRole::OrderLines => Text::SumRoleLines,
        SummaryRole::ReturnLines => Text::SumRoleReturns,
        SummaryRole::Quantity => Text::RoleQuantity,
    }
}

/// What is wrong with a parameter, in `lang` (English: the `Display` text).
/// The words for a parameter's machine name (the `data-param` name an engine error carries),
/// as the user knows it from the form; `None` for a name the table lacks (a test checks that every
/// name the engine uses is here).
pub fn parameter_name(name: &str) -> Option<Text> {
    Some(match name {
        "analysis_day" => Text::ParamAnalysisDate,
        "period_months" => Text::ParamPeriod,
        "decline_threshold" => Text::ParamDecline,
        "retain_sales_share" => Text::ParamRetain,
        "grow_from_share" => Text::ParamGrowFrom,
        "grow_to_share" => Text::ParamGrowTo,
        "transaction_margin_decile" => Text::ParamMarginDeciles,
        "transaction_max_orders" => Text::ParamMaxOrders,
        "bins" => Text::ParamNameBins,
        "date" => Text::ParamNameDate,
        "score" => Text::ParamNameScore,
        "basis" => Text::ParamNameBasis,
        "segment_rules" => Text::ParamNameSegmentRules,
        "board" => Text::ParamNameBoard,
        "item" => Text::ParamNameItem,
        "name" => Text::ParamNameName,
        "text" => Text::ParamNameText,
        "weight" => Text::ParamNameWeight,
        "id" => Text::ParamNameId,
        "concentration_share" => Text::ParamNameConcentration,
        "broad_base_share" => Text::ParamNameBroadBase,
        "repeat_strong" => Text::ParamNameRepeatStrong,
        "repeat_weak" => Text::ParamNameRepeatWeak,
        "margin_high" => Text::ParamNameMarginHigh,
        "margin_low" => Text::ParamNameMarginLow,
        "returns_share" => Text::ParamNameReturnsShare,
        "addon_threshold" => Text::ParamNameAddonThreshold,
        "at_risk_days" => Text::ParamNameAtRiskDays,
        "lapse_days" => Text::ParamNameLapseDays,
        "cohort_grain" => Text::ParamNameCohortGrain,
        "history" => Text::ParamNameHistory,
        "period_a_start" => Text::ParamNamePeriodAStart,
        "period_a_end" => Text::ParamNamePeriodAEnd,
        "period_b_start" => Text::ParamNamePeriodBStart,
        "period_b_end" => Text::ParamNamePeriodBEnd,
        "migration_first_day" => Text::ParamNameMigrationFirstDay,
        "migration_second_day" => Text::ParamNameMigrationSecondDay,
        "top_deciles" => Text::ParamNameTopDeciles,
        "calibration_end" => Text::ParamNameCalibrationEnd,
        "horizon" => Text::ParamNameHorizon,
        "k" => Text::ParamNameClusterK,
        "starts" => Text::ParamNameClusterStarts,
        "resamples" => Text::ParamNameClusterResamples,
        "fit_sample" => Text::ParamNameClusterFitSample,
        "silhouette_sample" => Text::ParamNameClusterSilhouetteSample,
        "discount_rate" => Text::ParamNameDiscountRate,
        "mapping" => Text::ParamNameMapping,
        "satisfaction_cuts" => Text::ParamNameSatisfactionCuts,
        "loyal_min_orders" => Text::ParamNameLoyalMinOrders,
        "loyal_min_tenure_days" => Text::ParamNameLoyalMinTenure,
        "long_term_days" => Text::ParamNameLongTermDays,
        "long_term_min_orders" => Text::ParamNameLongTermMinOrders,
        "high_value_deciles" => Text::ParamNameHighValueDeciles,
        "scale" => Text::ParamNameScale,
        "combine" => Text::ParamNameCombine,
        "recommend" => Text::LyRecommend,
        _ => return None,
    })
}

/// A parameter's name in Chinese text: its words from [`parameter_name`], else the machine name.
fn parameter_words(name: &str) -> String {
    parameter_name(name)
        .map(|t| t.get(Lang::Zh).to_string())
        .unwrap_or_else(|| name.to_string())
}

pub fn parameter_problem_text(problem: &ParameterProblem, lang: Lang) -> String {
    if lang == Lang::En {
        return problem.to_string();
    }
    let choices = |choices: &[i64]| {
        let names: Vec<String> = choices.iter().map(i64::to_string).collect();
        names.join("、")
    };
    match problem {
        ParameterProblem::DayOutOfRange => "日期须在 0001-01-01 到 9999-12-31 之间".into(),
        ParameterProblem::NotBetween {
            value,
            min,
            max,
            unit,
        } => {
            let unit = match unit {
                Some(CountUnit::Months) => " 个月",
                None => "",
            };
            format!("{value} 不在 {min} 到 {max}{unit} 之间")
        }
        ParameterProblem::BelowMinimum { value, min } => format!("{value} 小于 {min}"),
        ParameterProblem::NotOneOf { value, choices: c } => {
            format!("{value} 不可用，只能是 {}", choices(c))
        }
        ParameterProblem::NotAFraction {
            value,
            zero_allowed,
            of,
        } => {
            let of = match of {
                FractionOf::PreviousSales => "上一期销售额",
                FractionOf::TotalSales => "总销售额",
            };
            let range = if *zero_allowed {
                "须在 0 到 1 之间"
            } else {
                "须大于 0 且不超过 1"
            };
            format!("{value} {range}（{of}的比例）")
        }
        ParameterProblem::NotAbove { value, other } => {
            format!("{value} 须大于“{}”且不超过 1", parameter_words(other))
        }
        ParameterProblem::OutOfRange { value } => format!("{value} 超出范围"),
        ParameterProblem::NoProfitColumn => "数据中没有利润列".into(),
        ParameterProblem::TooFewWholePeriods { whole } => {
            format!("数据只覆盖 {whole} 个完整周期：请输入两个时期的日期")
        }
        ParameterProblem::CalibrationEndOutside { first, last } => format!(
            "须在 {} 到 {} 之间",
            format_date(*first, lang),
            format_date(*last, lang)
        ),
        ParameterProblem::NoPurchaseDates => {
            "计算最近一次消费（R）需要购买日期：请指定订单日期列后重新导入".into()
        }
        ParameterProblem::BeforeLatestPurchase { latest } => format!(
            "分析日期早于最近一次购买（{}），最近一次消费天数会是负数",
            format_date(*latest, lang)
        ),
        ParameterProblem::RuleScale { value, choices: c } => {
            format!("评分刻度 {value} 不可用，只能是 {}", choices(c))
        }
        ParameterProblem::RuleCount { count, max } => {
            format!("规则表有 {count} 条规则，须有 1 到 {max} 条")
        }
        ParameterProblem::RuleNameEmpty { rule } => format!("第 {rule} 条规则：英文名称为空"),
        ParameterProblem::RuleNameReserved {
            rule,
            name,
            reserved,
        } => format!("第 {rule} 条规则“{name}”：名称“{reserved}”留给不符合任何规则的客户"),
        ParameterProblem::RuleNameTaken { rule, name } => {
            format!("第 {rule} 条规则“{name}”：另一条规则已使用相同名称")
        }
        ParameterProblem::RuleRange {
            rule,
            name,
            axis,
            low,
            high,
            scale,
        } => format!(
            "第 {rule} 条规则“{name}”：{axis} 的范围 {low}–{high} 须在 1–{scale} 之内，且小的在前"
        ),
        ParameterProblem::NotAScore { value } => format!("{value} 不是 1 到 10 分的评分"),
        ParameterProblem::NotAWeight { value } => format!("{value} 不是大于等于 0 的权重"),
        ParameterProblem::NoScores => "条目至少需要一个评分".into(),
        ParameterProblem::EmptyName => "名称为空".into(),
        ParameterProblem::EmptyText => "条目没有文字".into(),
        ParameterProblem::NoIdsLeft => "编号已用完".into(),
        ParameterProblem::NoSuchBoard { id: Some(id) } => format!("没有编号为 {id} 的打分表"),
        ParameterProblem::NoSuchBoard { id: None } => "没有这个打分表".into(),
        ParameterProblem::NoSuchCompetitor { id } => format!("没有编号为 {id} 的竞争对手"),
        ParameterProblem::NoSuchItem { id } => format!("没有编号为 {id} 的条目"),
        ParameterProblem::OwnBoard => "不能删除我方打分表".into(),
        ParameterProblem::MeansUs { name } => {
            format!("“{name}”在 CSV 文件中表示我方，不能作为竞争对手名称")
        }
        ParameterProblem::NameTaken { name } => format!("已有名为“{name}”的打分表"),
        ParameterProblem::TextTaken { text } => format!("“{text}”已在这个象限中"),
        ParameterProblem::NoSurveyAnswerColumn => "没有指定满意度列或推荐意愿列".into(),
        ParameterProblem::SatisfactionCuts {
            bottom,
            satisfied,
            top,
            min,
            max,
        } => format!(
            "满意度阈值 {bottom}（最低）、{satisfied}（满意）和 {top}（最高）须在 {min} 到 {max} 分之内依次增大"
        ),
    }
}

/// The TOWS strategy's name: 增长型战略（SO） / Aggressive strategy (SO).
pub fn tows_strategy(tows: TowsQuadrant, lang: Lang) -> &'static str {
    match (lang, tows) {
        (Lang::Zh, TowsQuadrant::SO) => "增长型战略（SO）",
        (Lang::Zh, TowsQuadrant::ST) => "多元化战略（ST）",
        (Lang::Zh, TowsQuadrant::WO) => "扭转型战略（WO）",
        (Lang::Zh, TowsQuadrant::WT) => "防御型战略（WT）",
        (Lang::En, TowsQuadrant::SO) => "Aggressive strategy (SO)",
        (Lang::En, TowsQuadrant::ST) => "Diversification strategy (ST)",
        (Lang::En, TowsQuadrant::WO) => "Turnaround strategy (WO)",
        (Lang::En, TowsQuadrant::WT) => "Defensive strategy (WT)",
    }
}

/// What a TOWS quadrant means, one sentence.
pub fn tows_meaning(tows: TowsQuadrant, lang: Lang) -> &'static str {
    match (lang, tows) {
        (Lang::Zh, TowsQuadrant::SO) => {
            "优势大于劣势，机会多于威胁：发挥内部优势，抓住外部机会，积极扩张。"
        }
        (Lang::Zh, TowsQuadrant::ST) => {
            "优势大于劣势，但威胁多于机会：利用自身优势应对外部威胁，可考虑多元化经营分散风险。"
        }
        (Lang::Zh, TowsQuadrant::WO) => {
            "劣势大于优势，但机会多于威胁：借助外部机会弥补内部劣势，扭转局面。"
        }
        (Lang::Zh, TowsQuadrant::WT) => {
            "劣势大于优势，威胁多于机会：收缩防守，减少劣势，回避威胁。"
        }
        (Lang::En, TowsQuadrant::SO) => "Strengths outweigh weaknesses and opportunities outweigh threats: use the strengths to seize the opportunities and expand.",
        (Lang::En, TowsQuadrant::ST) => "Strengths outweigh weaknesses but threats outweigh opportunities: use the strengths to counter the threats, and consider diversifying to spread the risk.",
        (Lang::En, TowsQuadrant::WO) => "Weaknesses outweigh strengths but opportunities outweigh threats: use the opportunities to overcome the weaknesses and turn the business around.",
        (Lang::En, TowsQuadrant::WT) => "Weaknesses outweigh strengths and threats outweigh opportunities: defend, reduce the weaknesses and avoid the threats.",
    }
}

/// A fraction as a whole percentage, e.g. `51` for 0.505 (never `-0`).
fn whole_percent(fraction: f64) -> String {
    format!("{:.0}", (fraction * 100.0).round() + 0.0)
}

/// A suggested SWOT item's text, with its figure: `前 10% 的客户贡献了 51% 的销售额（客户集中）`.
pub fn swot_hint_text(hint: &SwotHint, lang: Lang) -> String {
    let p = whole_percent(hint.value);
    match (lang, hint.kind) {
        (Lang::Zh, HintKind::Concentration) => {
            format!("前 10% 的客户贡献了 {p}% 的销售额（客户集中）")
        }
        (Lang::Zh, HintKind::BroadBase) => format!("销售分散：前 10% 的客户只占 {p}% 的销售额"),
        (Lang::Zh, HintKind::LoyalCustomers) => format!("复购率 {p}%：多数客户重复购买"),
        (Lang::Zh, HintKind::FewRepeatCustomers) => format!("复购率仅 {p}%：多数客户只买一次"),
        (Lang::Zh, HintKind::HighMargin) => format!("净利率 {p}%（盈利能力强）"),
        (Lang::Zh, HintKind::LowMargin) => format!("净利率仅 {p}%（盈利能力弱）"),
        (Lang::Zh, HintKind::Returns) => format!("{p}% 的订单行是退货"),
        (Lang::En, HintKind::Concentration) => {
            format!("The top 10 % of customers make {p} % of sales (customer concentration)")
        }
        (Lang::En, HintKind::BroadBase) => {
            format!("Sales are spread: the top 10 % of customers make only {p} % of sales")
        }
        (Lang::En, HintKind::LoyalCustomers) => {
            format!("Repeat-purchase rate {p} %: most customers buy again")
        }
        (Lang::En, HintKind::FewRepeatCustomers) => {
            format!("Repeat-purchase rate only {p} %: most customers buy once")
        }
        (Lang::En, HintKind::HighMargin) => format!("Net margin {p} % (strong profitability)"),
        (Lang::En, HintKind::LowMargin) => format!("Net margin only {p} % (weak profitability)"),
        (Lang::En, HintKind::Returns) => format!("{p} % of order lines are returns"),
    }
}

/// The column headers and quadrant names of a SWOT CSV export in `lang`; both sets are words the
/// import reads back (`engine::vocabulary`).
pub fn swot_csv_labels(lang: Lang) -> SwotCsvLabels<'static> {
    match lang {
        Lang::En => SwotCsvLabels::default(),
        Lang::Zh => SwotCsvLabels {
            competitor: "竞争对手",
            quadrant: "象限",
            item: "项目",
            score: "评分",
            weight: "权重",
            respondent: "评分人",
            quadrants: ["优势", "劣势", "机会", "威胁"],
        },
    }
}

/// The tick label of decile `index` on a chart axis: `第1组` / `D1`.
pub fn chart_decile_tick(index: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第{index}组"),
        Lang::En => format!("D{index}"),
    }
}

/// The Lorenz chart's title with the Gini coefficient.
pub fn lorenz_title(gini: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("洛伦兹曲线 · 基尼系数 {gini:.3}"),
        Lang::En => format!("Lorenz curve · Gini coefficient {gini:.3}"),
    }
}

/// The Lorenz chart's note at the 80 % point: which share of customers makes 80 % of sales.
pub fn pareto_note(share: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("前 {} 的客户贡献 80% 销售额", format_percent(share, 1)),
        Lang::En => format!(
            "top {} of customers make 80 % of sales",
            format_percent(share, 1)
        ),
    }
}

/// A customer group's note on the groups chart: share of sales and (compacted) customers.
pub fn group_note(sales_share: f64, customers: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{} · {customers} 位客户", format_percent(sales_share, 1)),
        Lang::En => format!("{} · {customers} customers", format_percent(sales_share, 1)),
    }
}

/// The units of compact numbers, largest first: `亿` (10⁸) and `万` (10⁴), or `B`, `M`, `k`.
pub fn compact_units(lang: Lang) -> &'static [(f64, &'static str)] {
    match lang {
        Lang::Zh => &[(1e8, "亿"), (1e4, "万")],
        Lang::En => &[(1e9, "B"), (1e6, "M"), (1e3, "k")],
    }
}

/// The headers and names of the scored-customer CSV in `lang`.
pub fn rfm_csv_labels(lang: Lang) -> RfmCsvLabels<'static> {
    match lang {
        Lang::En => RfmCsvLabels::default(),
        Lang::Zh => RfmCsvLabels {
            customer: "客户",
            last_purchase: "最近购买日期",
            recency_days: "最近一次消费（天）",
            frequency: "消费频率",
            monetary: "消费金额",
            r_score: "R",
            f_score: "F",
            m_score: "M",
            rfm_code: "RFM 代码",
            segment: "客户分群",
            value_tier: "价值分层",
            language: NameLanguage::Chinese,
            other: OTHER_ZH,
            tiers: [Text::TierHigh, Text::TierMedium, Text::TierLow].map(|t| t.get(Lang::Zh)),
        },
    }
}

/// The file name the built-in sample is shown under.
pub fn sample_file_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "示例订单数据.csv",
        Lang::En => "sample-orders.csv",
    }
}

/// Why a file or message could not be read, in `lang` (English: the `Display` text, with the
/// parser's or the browser's own message). Those messages are English text from a library, so
/// the Chinese text leaves them out: it says what failed, never in English.
pub fn format_problem_text(problem: &FormatProblem, lang: Lang) -> String {
    if lang == Lang::En {
        return problem.to_string();
    }
    match problem {
        FormatProblem::Parser { .. } => "内容无法解析".into(),
        FormatProblem::Unwritable { .. } => "无法写出".into(),
        FormatProblem::Empty => "文件是空的".into(),
        FormatProblem::CutOff { .. } => "文件提前结束，可能不完整".into(),
        FormatProblem::NotJson { .. } => "文件不是 JSON 格式".into(),
        FormatProblem::NotAnObject => "这不是 ValueLens 工作区（不是 JSON 对象）".into(),
        FormatProblem::NoFormatName => "这不是 ValueLens 工作区（没有注明格式）".into(),
        FormatProblem::OtherFormat { format } => {
            format!("这不是 ValueLens 工作区（格式为“{format}”）")
        }
        FormatProblem::Invalid(content) => {
            format!("内容无效：{}", invalid_content_text(content, lang))
        }
        FormatProblem::ColumnLengths => "客户各列的长度不一致".into(),
        FormatProblem::Handoff { .. } => "导入结果已损坏".into(),
        FormatProblem::UnsupportedVersion { version, supported } => {
            format!("不支持格式版本 {version}（当前版本最多读取到 {supported}）")
        }
        FormatProblem::IdTooLarge => "编号过大".into(),
        FormatProblem::IdTwice { id } => format!("编号 {id} 被使用了两次"),
        FormatProblem::IdNotBelowNext { id, next } => {
            format!("编号 {id} 不小于下一个编号 {next}")
        }
        FormatProblem::BoardName { board } => format!("打分表 {board} 的名称为空或前后有空格"),
        FormatProblem::CompetitorMeansUs { name } => format!("竞争对手“{name}”的名称表示我方"),
        FormatProblem::BoardNameTwice { name } => format!("有两个打分表都叫“{name}”"),
        FormatProblem::Item {
            item,
            board,
            problem,
        } => {
            let problem = match problem {
                ItemProblem::Text => "文字为空或前后有空格",
                ItemProblem::RepeatedText => "与同一象限的另一条目文字重复",
                ItemProblem::Scores => "没有评分，或有不在 1 到 10 之间的评分",
                ItemProblem::Weight => "权重超出范围",
            };
            format!("“{board}”的条目 {item} {problem}")
        }
        FormatProblem::WorkerFailed { .. } => "后台导入程序无法启动".into(),
        FormatProblem::WorkerStopped { .. } => "后台导入程序已停止".into(),
        FormatProblem::NoFileSent => "没有收到文件".into(),
        FormatProblem::Parquet(problem) => parquet_problem_zh(problem),
    }
}

/// Why a Parquet file cannot be read, in Chinese (the decoder's English message left out).
fn parquet_problem_zh(problem: &crate::engine::error::ParquetProblem) -> String {
    use crate::engine::error::ParquetProblem;
    match problem {
        ParquetProblem::NotParquet => "文件结尾没有 PAR1：不是 Parquet 文件，或文件不完整".into(),
        ParquetProblem::DamagedFooter { .. } => {
            "Parquet 文件的元数据（文件尾）已损坏或不完整".into()
        }
        ParquetProblem::Encrypted => "Parquet 文件已加密".into(),
        ParquetProblem::UnsupportedCompression { column, codec } => format!(
            "列“{column}”使用 {codec} 压缩，暂不支持（支持 UNCOMPRESSED、SNAPPY、GZIP、ZSTD）"
        ),
        ParquetProblem::UnsupportedEncoding { column, .. } => {
            format!("列“{column}”使用了不支持的编码")
        }
        ParquetProblem::OnlyNestedColumns => {
            "Parquet 文件没有普通列：嵌套列（结构、列表、映射）会被跳过".into()
        }
        ParquetProblem::DamagedData {
            row_group, column, ..
        } => format!("第 {} 个行组的列“{column}”已损坏", row_group + 1),
        ParquetProblem::WrongRowGroupBytes { row_group, .. } => {
            format!("第 {} 个行组读取的字节数与文件尾记录的不符", row_group + 1)
        }
    }
}

fn invalid_content_text(content: &InvalidContent, lang: Lang) -> String {
    match content {
        InvalidContent::NoVersion => "缺少版本号，或版本号为 0".into(),
        InvalidContent::VersionNotWhole { value } => format!("版本号不是整数（{value}）"),
        InvalidContent::Part { part, error } => {
            let part = match part {
                ContentPart::ImportSettings => "导入设置",
                ContentPart::DecileParameters => "十分位参数",
                ContentPart::RfmParameters => "RFM 参数",
                ContentPart::SegmentRules => "分群规则",
                ContentPart::SwotBoards => "SWOT 打分表",
                ContentPart::DataImportSettings => "数据的导入设置",
                ContentPart::Survey => "满意度调查",
            };
            format!("{part}：{}", error_text(error, lang))
        }
        InvalidContent::ColumnLengths => "客户各列的长度不一致".into(),
        InvalidContent::MonthColumns => "月度各列与月份数不符".into(),
        InvalidContent::UnsortedIds { at } => format!("客户编号没有排序或有重复（在“{at}”处）"),
        InvalidContent::Shape { .. } => "结构与工作区格式不符".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_and_column_notes_name_their_figures() {
        let t = refusal_text("big.csv", "small.csv", Lang::En);
        assert!(t.contains("big.csv") && t.contains("small.csv") && t.contains("Cancel"));
        assert!(refusal_text("大.csv", "小.csv", Lang::Zh).contains("正在导入"));
        assert_eq!(
            columns_shown_text(50, 3_000, Lang::En),
            "Showing 50 of 3,000 columns; assign any other column by its number below."
        );
        assert!(columns_shown_text(50, 3_000, Lang::Zh).contains("3,000 列"));
    }

    #[test]
    fn unnamed_columns_are_named_in_the_language_of_the_ui() {
        assert_eq!(column_title("column 3", 2, Lang::Zh), "第 3 列");
        assert_eq!(column_title("column 3", 2, Lang::En), "column 3");
        assert_eq!(column_title("金额", 2, Lang::Zh), "金额");
        // A header that only looks like another column's default name is the file's own.
        assert_eq!(column_title("column 3", 0, Lang::Zh), "column 3");
    }

    #[test]
    fn every_text_has_both_languages() {
        for text in Text::ALL {
            assert!(!text.get(Lang::Zh).is_empty(), "{text:?}");
            assert!(!text.get(Lang::En).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn numbers_and_dates_per_language() {
        assert_eq!(format_number(1234567.891, 2), "1,234,567.89");
        assert_eq!(format_number(-1234.6, 0), "-1,235");
        assert_eq!(format_number(-0.001, 2), "0.00");
        assert_eq!(format_number(999.0, 0), "999");
        assert_eq!(format_percent(0.1234, 1), "12.3%");
        assert_eq!(
            format_date(Day::from_epoch_days(19727), Lang::Zh),
            "2024年1月5日"
        );
        assert_eq!(
            format_date(Day::from_epoch_days(19727), Lang::En),
            "5 Jan 2024"
        );
        assert_eq!(
            format_month(Month::from_index(2024 * 12), Lang::Zh),
            "2024年1月"
        );
        assert_eq!(
            format_month(Month::from_index(2024 * 12 + 11), Lang::En),
            "Dec 2024"
        );
    }

    #[test]
    fn language_preferences() {
        assert_eq!(Lang::from_preferences(["zh-CN", "en"]), Lang::Zh);
        assert_eq!(Lang::from_preferences(["zh-TW"]), Lang::Zh);
        assert_eq!(Lang::from_preferences(["en-US", "zh-CN"]), Lang::En);
        assert_eq!(Lang::from_preferences(["fr-FR", "de"]), Lang::En);
        assert_eq!(Lang::from_preferences(["fr-FR", "zh"]), Lang::Zh);
    }

    #[test]
    fn chinese_row_errors() {
        let error = RowError {
            line: 7,
            column: "金额".into(),
            value: "N/A".into(),
            problem: RowProblem::NotANumber,
        };
        assert_eq!(
            row_error_text(&error, Lang::Zh),
            "第 7 行，列“金额”：应为数字，实际为“N/A”"
        );
    }

    #[test]
    fn workspace_problems_in_both_languages() {
        let month = Error::Workspace(WorkspaceProblem::OutOfRange {
            part: WorkspacePart::Month,
            at: Some(2),
            value: f64::from(i32::MIN),
        });
        assert_eq!(
            error_text(&month, Lang::En),
            "Customer 2, a month: -2147483648 is out of range"
        );
        assert_eq!(
            error_text(&month, Lang::Zh),
            "第 2 位客户的月份超出范围：-2147483648。"
        );
        let boards = Error::Workspace(WorkspaceProblem::TooMany {
            part: WorkspacePart::Competitors,
            at: None,
            count: 20_000,
            max: 50,
        });
        assert_eq!(
            error_text(&boards, Lang::En),
            "Competitors: 20000, more than the 50 allowed"
        );
        assert_eq!(
            error_text(&boards, Lang::Zh),
            "竞争对手有 20000 个，超过了允许的 50 个。"
        );
        let text = Error::Workspace(WorkspaceProblem::TooLong {
            part: WorkspacePart::ItemText,
            at: Some(3),
            chars: 501,
            max: 500,
        });
        assert_eq!(
            error_text(&text, Lang::Zh),
            "第 3 个打分表的条目文字有 501 个字符，超过了允许的 500 个。"
        );
        let sums = Error::Workspace(WorkspaceProblem::Disagree {
            part: WorkspacePart::MonthSales,
            at: Some(1),
        });
        assert_eq!(
            error_text(&sums, Lang::En),
            "Customer 1, monthly sales: the figures do not agree"
        );
        assert_eq!(
            error_text(&sums, Lang::Zh),
            "第 1 位客户的月销售额与其他数字不一致。"
        );
    }

    #[test]
    fn templates_have_the_same_placeholders_in_both_languages() {
        let placeholders = |text: &str| {
            let mut found: Vec<String> = (0..10)
                .map(|i| format!("{{{i}}}"))
                .filter(|p| text.contains(p.as_str()))
                .collect();
            found.sort();
            found
        };
        for text in Text::ALL {
            assert_eq!(
                placeholders(text.get(Lang::Zh)),
                placeholders(text.get(Lang::En)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn hint_percentages_are_whole_and_never_negative_zero() {
        assert_eq!(whole_percent(0.505), "51");
        assert_eq!(whole_percent(-0.001), "0");
        assert_eq!(whole_percent(0.6), "60");
    }

    #[test]
    fn parameter_problems_in_chinese_hold_no_english_sentence() {
        use crate::engine::swot::SwotColumn;
        let score = Error::Parameter {
            name: "score".into(),
            reason: ParameterProblem::NotAScore { value: 11.0 },
        };
        assert_eq!(
            error_text(&score, Lang::En),
            "Parameter 'score': 11 is not a score from 1 to 10"
        );
        assert_eq!(
            error_text(&score, Lang::Zh),
            "参数“评分”：11 不是 1 到 10 分的评分"
        );
        let binary = Error::Binary {
            what: BinaryKind::ZipOrXlsx,
        };
        assert!(error_text(&binary, Lang::Zh).contains("Excel .xlsx 工作簿"));
        let missing = Error::SwotColumnsMissing {
            missing: vec![SwotColumn::Score],
        };
        assert_eq!(
            missing.to_string(),
            "could not read the SWOT file: the header row has no column for score (评分)"
        );
        assert_eq!(
            error_text(&missing, Lang::Zh),
            "无法读取 SWOT 文件：表头缺少评分列。"
        );
        let rejected = Error::AllRowsRejected {
            rows: 2,
            first: Some(Box::new(RowError {
                line: 2,
                column: "评分".into(),
                value: "80".into(),
                problem: RowProblem::ScoreOutOfRange,
            })),
        };
        assert_eq!(
            error_text(&rejected, Lang::Zh),
            "全部 2 行数据都被拒绝。第一个问题：第 2 行，列“评分”：评分应在 1 到 10 之间，实际为“80”"
        );
        let rules = Error::Format {
            what: FormatSubject::WorkspaceFile,
            reason: FormatProblem::Invalid(InvalidContent::Part {
                part: ContentPart::SegmentRules,
                error: Box::new(Error::Parameter {
                    name: "segment_rules".into(),
                    reason: ParameterProblem::RuleCount { count: 0, max: 100 },
                }),
            }),
        };
        assert_eq!(
            error_text(&rules, Lang::En),
            "Could not read the workspace file: invalid content: the segment rules: parameter \
             'segment_rules': the table must hold 1 to 100 rules"
        );
        assert_eq!(
            error_text(&rules, Lang::Zh),
            "无法读取工作区文件：内容无效：分群规则：参数“分群规则表”：规则表有 0 条规则，须有 1 到 100 条"
        );
    }
}

#[cfg(test)]
mod parameter_name_tests {
    use super::*;

    /// Every parameter name the engine puts in an error: the first string argument of
    /// `parameter(…)` / `fraction(…)`, an `other:` name and the names of the SWOT hint
    /// settings' checks, read from the engine's sources.
    fn engine_parameter_names() -> Vec<String> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("readable src/engine") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine"),
            &mut files,
        );
        let mut names = Vec::new();
        for file in files {
            let source = std::fs::read_to_string(&file).expect("readable source");
            let compact: String = source.split_whitespace().collect::<Vec<_>>().join("");
            for marker in ["parameter(\"", "fraction(\"", "other:\"", "(\""] {
                let mut rest = compact.as_str();
                while let Some(at) = rest.find(marker) {
                    rest = &rest[at + marker.len()..];
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    let closes = rest[name.len()..].starts_with('"');
                    let is_parameter =
                        marker != "(\"" || (closes && rest[name.len() + 1..].starts_with(",self."));
                    if closes && is_parameter && !name.is_empty() {
                        names.push(name);
                    }
                }
            }
        }
        names.sort();
        names.dedup();
        names
    }

    #[test]
    fn every_parameter_the_engine_names_has_words() {
        let names = engine_parameter_names();
        assert!(names.len() >= 20, "the scan found too few names: {names:?}");
        for expected in ["analysis_day", "score", "grow_from_share", "returns_share"] {
            assert!(names.iter().any(|n| n == expected), "{expected} not found");
        }
        let missing: Vec<&String> = names
            .iter()
            .filter(|n| parameter_name(n).is_none())
            .collect();
        assert!(missing.is_empty(), "parameters without words: {missing:?}");
    }

    #[test]
    fn a_chinese_parameter_error_names_the_parameter_in_chinese() {
        let error = Error::Parameter {
            name: "grow_to_share".into(),
            reason: ParameterProblem::NotAbove {
                value: 0.3,
                other: "grow_from_share".into(),
            },
        };
        assert_eq!(
            error_text(&error, Lang::Zh),
            "参数“发展：到（%）”：0.3 须大于“发展：累计销售额从（%）”且不超过 1"
        );
    }
}

/// The nested Parquet columns not read (issue 17), named: what the mapping step and the data view
/// say (`data-note="skipped-columns"`).
pub fn skipped_columns_text(names: &[String], lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "未读取 {} 个嵌套列（列表或结构，无法作为单元格导入）：{}",
            names.len(),
            names.join("、")
        ),
        Lang::En => format!(
            "{} nested column(s) not read (lists or structs, which are no cells to import): {}",
            names.len(),
            names.join(", ")
        ),
    }
}
