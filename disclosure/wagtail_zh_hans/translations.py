# ruff: noqa: E501
"""Simplified Chinese for the Wagtail admin strings that Wagtail's zh_Hans catalogs lack.

Keyed by (msgctxt, msgid) exactly as in Wagtail's English catalogs; a plural msgid takes a list
of one string (zh_Hans has one plural form: nplurals=1; plural=0), written for any count. Run
build_catalog.py after editing: it checks the placeholders and rebuilds the .po and .mo.

Words as in Wagtail's own zh_Hans catalogs: page 页面, snippet 片段, workflow 工作流, task 任务,
moderation 审核, reviewer 审核人, approve 批准, reject 拒绝, revision 修订版本, version 版本,
publish 发布, unpublish 取消发布, draft 草稿, live 已发布, go live 上线, expiry 过期, schedule 发布计划,
lock 锁定, privacy 隐私, locale 语言区域, translation (of a page) 翻译版本, collection 集合, document
文档, image 图片, slug 缩略名, reference 引用, validation error 验证错误, API token API 令牌. The
user is addressed as 您, as in the plugin's own catalog. Quotes around titles become “”.
"""

TRANSLATIONS: dict[tuple[str | None, str], str | list[str]] = {
    # wagtail/admin
    (None, "Use server language: %(language_name)s"): "使用服务器语言：%(language_name)s",
    (
        None,
        'You do not have permission to publish pages at "%(page_title)s"',
    ): "您没有在“%(page_title)s”下发布页面的权限",
    (
        None,
        "The slug '%(page_slug)s' is already in use within the parent page.",
    ): "缩略名“%(page_slug)s”已被父页面下的其他页面使用。",
    (
        None,
        "The new page will be a child of this given parent page.",
    ): "新页面将作为此父页面的子页面。",
    (
        None,
        "Tag(s) %(value_too_long)s are over %(max_tag_length)d characters.",
    ): "标签%(value_too_long)s超过了%(max_tag_length)d个字符。",
    (None, "Can access Wagtail admin"): "可以访问 Wagtail 管理后台",
    # The paginator's fallback noun; the plugin's own catalog says 事项 (its disclosure items): same words.
    (None, "item"): "事项",
    (None, "items"): "事项",
    (None, "Go to the first error"): "转到第一个错误",
    (
        None,
        "This %(model_name)s is currently at <strong>%(task)s</strong> in <strong>%(workflow)s</strong>.",
    ): "此%(model_name)s当前处于<strong>%(workflow)s</strong>的<strong>%(task)s</strong>阶段。",
    (
        None,
        "Publishing this %(model_name)s will cancel the current workflow.",
    ): "发布此%(model_name)s将取消当前工作流。",
    (None, "Actions (footer)"): "操作（页脚）",
    (
        None,
        'There are no %(model_name)s to display. Why not <a href="%(add_url)s">add one</a>?',
    ): '没有可显示的%(model_name)s。为何不<a href="%(add_url)s">添加一个</a>？',
    (
        None,
        "Preview cannot display due to validation errors. <br /> Click save to highlight the relevant fields.",
    ): "存在验证错误，无法显示预览。<br />请点击保存以突出显示相关字段。",
    # plural: Moved down %(counter)s places.
    (None, "Moved down 1 place."): ["下移了%(counter)s位。"],
    # plural: Moved up %(counter)s places.
    (None, "Moved up 1 place."): ["上移了%(counter)s位。"],
    (None, "Wagtail %(current_version)s editor guide"): "Wagtail %(current_version)s 编辑指南",
    (None, "Privacy and access"): "隐私与访问",
    # plural: %(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>
    (None, '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>'): [
        '%(total)s个页面<span class="w-sr-only">（创建于%(site_name)s）</span>'
    ],
    (None, "Wagtail upgrade available"): "有可用的 Wagtail 升级",
    (
        None,
        'Your version: <strong>%(current_version)s</strong>. New version: <strong data-w-upgrade-target="latestVersion"></strong>.',
    ): '您的版本：<strong>%(current_version)s</strong>。新版本：<strong data-w-upgrade-target="latestVersion"></strong>。',
    (None, "Read the release notes."): "阅读发行说明。",
    (None, "Your pages and snippets in a workflow"): "您在工作流中的页面和片段",
    (None, "Things in Wagtail %(version)s have changed!"): "Wagtail %(version)s 有了新变化！",
    (
        None,
        'Don\'t worry, we\'ve got your back. Check out the <a class="w-whats-new__link" href="%(editor_guide_link)s" target="_blank" rel="noreferrer">Wagtail Editor Guide</a> to get the low down on what\'s changed and some exciting new features!',
    ): '别担心，我们为您准备好了。请查阅<a class="w-whats-new__link" href="%(editor_guide_link)s" target="_blank" rel="noreferrer">Wagtail 编辑指南</a>，了解有哪些变化以及一些令人兴奋的新功能！',
    (
        None,
        'The %(model_name)s "%(title)s" has been approved in moderation stage "%(task)s".',
    ): "%(model_name)s“%(title)s”已在审核阶段“%(task)s”获得批准。",
    (
        None,
        'The %(model_name)s "%(title)s" has been approved in "%(task)s".',
    ): "%(model_name)s“%(title)s”已在“%(task)s”中获得批准。",
    (
        None,
        'The %(model_name)s "%(title)s" has been rejected in moderation stage "%(task)s".',
    ): "%(model_name)s“%(title)s”已在审核阶段“%(task)s”被拒绝。",
    (
        None,
        'The %(model_name)s "%(title)s" has been rejected during "%(task)s".',
    ): "%(model_name)s“%(title)s”在“%(task)s”阶段被拒绝。",
    (
        None,
        'The %(model_name)s "%(title)s" has been submitted for approval in moderation stage "%(task)s".',
    ): "%(model_name)s“%(title)s”已在审核阶段“%(task)s”提交审批。",
    (None, "You can preview the %(model_name)s here:"): "您可以在此预览该%(model_name)s：",
    (
        None,
        'The %(model_name)s "%(title)s" has been submitted for approval to moderation stage "%(task)s".',
    ): "%(model_name)s“%(title)s”已提交至审核阶段“%(task)s”审批。",
    (
        None,
        'The %(model_name)s "%(title)s" has been submitted for approval in moderation stage "%(task)s"',
    ): "%(model_name)s“%(title)s”已在审核阶段“%(task)s”提交审批",
    (
        None,
        'The %(model_name)s "%(title)s" has been approved in workflow "%(workflow)s".',
    ): "%(model_name)s“%(title)s”已在工作流“%(workflow)s”中获得批准。",
    (
        None,
        'The %(model_name)s "%(title)s" has been approved in "%(workflow)s".',
    ): "%(model_name)s“%(title)s”已在“%(workflow)s”中获得批准。",
    (
        None,
        'The %(model_name)s "%(title)s" has been rejected during "%(task)s" in workflow "%(workflow)s" by %(rejector)s.',
    ): "%(model_name)s“%(title)s”在工作流“%(workflow)s”的“%(task)s”阶段被%(rejector)s拒绝。",
    (
        None,
        'The %(model_name)s "%(title)s" has been rejected during "%(task)s" in workflow "%(workflow)s".',
    ): "%(model_name)s“%(title)s”在工作流“%(workflow)s”的“%(task)s”阶段被拒绝。",
    (
        None,
        'The %(model_name)s "%(title)s" has been rejected during "%(workflow)s".',
    ): "%(model_name)s“%(title)s”在“%(workflow)s”中被拒绝。",
    (
        None,
        'The %(model_name)s "%(title)s" has been submitted for moderation to workflow "%(workflow)s" by %(requester)s.',
    ): "%(requester)s已将%(model_name)s“%(title)s”提交至工作流“%(workflow)s”审核。",
    (
        None,
        'The %(model_name)s "%(title)s" has been submitted for moderation to workflow "%(workflow)s".',
    ): "%(model_name)s“%(title)s”已提交至工作流“%(workflow)s”审核。",
    (
        None,
        'The page "%(title)s" has been submitted to workflow "%(workflow)s"',
    ): "页面“%(title)s”已提交至工作流“%(workflow)s”",
    (
        None,
        'The %(model_name)s "%(title)s" has been submitted to workflow "%(workflow)s"',
    ): "%(model_name)s“%(title)s”已提交至工作流“%(workflow)s”",
    (None, "Changing the privacy for this page has been disabled."): "已禁止更改此页面的隐私设置。",
    (None, "Scheduling…"): "正在计划发布…",
    (None, "Schedule to publish"): "计划发布",
    # plural: Deleting this page will also delete %(descendant_count)s more child pages.
    (None, "Deleting this page will also delete %(descendant_count)s child page."): [
        "删除此页面还将同时删除其下%(descendant_count)s个子页面。"
    ],
    # plural: It will also delete 1 translation and its combined %(translation_descendant_count)s translated child pages.
    (
        None,
        "It will also delete 1 translation and its combined %(translation_descendant_count)s translated child page.",
    ): ["还将删除1个翻译版本及其共计%(translation_descendant_count)s个已翻译的子页面。"],
    # plural: It will also delete %(translation_count)s translations and their combined %(translation_descendant_count)s translated child pages.
    (
        None,
        "It will also delete %(translation_count)s translations and their combined %(translation_descendant_count)s translated child page.",
    ): [
        "还将删除%(translation_count)s个翻译版本及其共计%(translation_descendant_count)s个已翻译的子页面。"
    ],
    # plural: It will also delete %(translation_count)s translations.
    (None, "It will also delete %(translation_count)s translation."): [
        "还将删除%(translation_count)s个翻译版本。"
    ],
    # plural: Deleting this page will also delete 1 translation and its combined %(translation_descendant_count)s translated child pages.
    (
        None,
        "Deleting this page will also delete 1 translation and its combined %(translation_descendant_count)s translated child page.",
    ): [
        "删除此页面还将同时删除1个翻译版本及其共计%(translation_descendant_count)s个已翻译的子页面。"
    ],
    # plural: Deleting this page will also delete %(translation_count)s translations and their combined %(translation_descendant_count)s translated child pages.
    (
        None,
        "Deleting this page will also delete %(translation_count)s translations and their combined %(translation_descendant_count)s translated child page.",
    ): [
        "删除此页面还将同时删除%(translation_count)s个翻译版本及其共计%(translation_descendant_count)s个已翻译的子页面。"
    ],
    # plural: This will also delete %(descendant_count)s more child pages. Deleting this page will also delete %(translation_count)s translations of this page.
    # Wagtail's plural names descendant_count, always 0 in this branch of confirm_delete.html; msgfmt requires it.
    (None, "Deleting this page will also delete %(translation_count)s translation of this page."): [
        "删除此页面还将同时删除该页面的%(translation_count)s个翻译版本（随之删除的子页面：%(descendant_count)s个）。"
    ],
    # plural: This will also move %(translations_to_move_count)s translations of this page and their child pages
    (None, "This will also move one translation of this page and its child pages"): [
        "此操作还将移动此页面的%(translations_to_move_count)s个翻译版本及其子页面"
    ],
    # plural: This will also unpublish all %(translation_count)s translations of the page.
    (None, "This will also unpublish one translation of the page."): [
        "此页面的%(translation_count)s个翻译版本也将被取消发布。"
    ],
    # plural: This page has %(live_descendant_count)s child pages and its translations have a combined one translated child page. Unpublish these too
    (
        None,
        "This page has one subpage and its translations have a combined one translated child page. Unpublish these too",
    ): [
        "此页面有%(live_descendant_count)s个子页面，其翻译版本共有1个已翻译的子页面。同时取消发布上述子页面"
    ],
    # plural: This page has %(live_descendant_count)s child pages and its translations have a combined %(translation_descendant_count)s translated child pages. Unpublish these too
    (
        None,
        "This page has one child page and its translations have a combined %(translation_descendant_count)s translated child pages. Unpublish these too",
    ): [
        "此页面有%(live_descendant_count)s个子页面，其翻译版本共有%(translation_descendant_count)s个已翻译的子页面。同时取消发布上述子页面"
    ],
    # plural: This page has %(live_descendant_count)s subpages. Unpublish these too
    (None, "This page has one subpage. Unpublish this too"): [
        "此页面有%(live_descendant_count)s个子页面。同时取消发布上述子页面"
    ],
    (
        None,
        "This page was marked as needing changes at <strong>%(task)s</strong> in <strong>%(workflow)s</strong>.",
    ): "此页面在<strong>%(workflow)s</strong>的<strong>%(task)s</strong>阶段被标记为需要修改。",
    (
        None,
        "This page is currently at <strong>%(task)s</strong> in <strong>%(workflow)s</strong>.",
    ): "此页面当前处于<strong>%(workflow)s</strong>的<strong>%(task)s</strong>阶段。",
    (
        None,
        "The root level is where you can add new sites to your Wagtail installation. Pages created here will not be accessible at any URL until they are associated with a site.",
    ): "根级别用于向 Wagtail 添加新站点。在此创建的页面关联到站点之前，无法通过任何网址访问。",
    (
        None,
        "If you just want to add pages to an existing site, create them as children of the homepage instead.",
    ): "如果只是想向现有站点添加页面，请将其创建为首页的子页面。",
    (
        None,
        "Pages created here will not be accessible at any URL. To add pages to an existing site, create them as children of the homepage.",
    ): "在此创建的页面无法通过任何网址访问。要向现有站点添加页面，请将其创建为首页的子页面。",
    (
        None,
        "There is no site set up for this location. Pages created here will not be accessible at any URL until a site is associated with this location.",
    ): "此位置尚未设置站点。在此位置关联站点之前，在此创建的页面无法通过任何网址访问。",
    (
        None,
        "There is no site record for this location. Pages created here will not be accessible at any URL.",
    ): "此位置没有站点记录。在此创建的页面无法通过任何网址访问。",
    (None, "This page is locked, by you, to further editing"): "此页面已被您锁定，其他人无法编辑",
    (
        None,
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s across entire site.",
    ): "第%(start_index)s-%(end_index)s个，全站共%(items_count)s个%(model_name)s。",
    (None, "No results across entire site."): "全站无结果。",
    (
        None,
        "Search in '<span class=\"w-title-ellipsis\">%(title)s</span>'",
    ): '在“<span class="w-title-ellipsis">%(title)s</span>”中搜索',
    (
        None,
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s in '<span class=\"w-title-ellipsis\">%(title)s</span>'.",
    ): '第%(start_index)s-%(end_index)s个，“<span class="w-title-ellipsis">%(title)s</span>”中共%(items_count)s个%(model_name)s。',
    (
        None,
        "No results in '<span class=\"w-title-ellipsis\">%(title)s</span>'.",
    ): '“<span class="w-title-ellipsis">%(title)s</span>”中无结果。',
    (
        None,
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s",
    ): "第%(start_index)s-%(end_index)s个，共%(items_count)s个%(model_name)s",
    # plural: There are %(counter)s matching pages
    (None, "There is one matching page"): ["共有%(counter)s个匹配的页面"],
    (
        None,
        "Choose when this %(model_name)s should go live and/or expire",
    ): "选择此%(model_name)s的上线和/或过期时间",
    (None, "Choose when this page should go live and/or expire"): "选择此页面的上线和/或过期时间",
    (
        None,
        'This publishing schedule will only take effect after you select the "Schedule to publish" option',
    ): "只有在选择“计划发布”选项后，此发布计划才会生效",
    (
        None,
        "Anyone with editing permissions can create schedules",
    ): "任何拥有编辑权限的人都可以创建发布计划",
    (
        None,
        "But only those with publishing permissions can make them effective.",
    ): "但只有拥有发布权限的人才能使其生效。",
    (
        None,
        "Locked by <b>you</b> at <b>%(locking_date)s</b>",
    ): "<b>您</b>于<b>%(locking_date)s</b>锁定",
    (
        None,
        "Locked by <b>%(locked_by)s</b> at <b>%(locking_date)s</b>",
    ): "<b>%(locked_by)s</b>于<b>%(locking_date)s</b>锁定",
    (None, "%(field_label)s:"): "%(field_label)s：",
    (None, "Saved"): "已保存",
    (None, "Autosave is paused"): "自动保存已暂停",
    (None, "Edit account avatar"): "编辑账号头像",
    # plural: This action will delete <b>%(total_pages_formatted)s</b> pages in total.
    (None, "This action will delete <b>%(total_pages_formatted)s</b> page in total."): [
        "此操作将总共删除<b>%(total_pages_formatted)s</b>个页面。"
    ],
    (
        None,
        "Please type <b>%(wagtail_site_name)s</b> to confirm.",
    ): "请输入<b>%(wagtail_site_name)s</b>以确认。",
    (None, "You saved a new version in another window"): "您已在另一个窗口中保存了新版本",
    (None, "System"): "系统",
    (None, "%(user_name)s saved a new version"): "%(user_name)s保存了新版本",
    (None, "View latest version"): "查看最新版本",
    (None, "You have unsaved changes in another window"): "您在另一个窗口中有未保存的更改",
    (None, "%(user_name)s has unsaved changes"): "%(user_name)s有未保存的更改",
    (None, "Currently idle"): "当前空闲",
    (None, "Currently viewing"): "正在查看",
    # plural: %(num_user)s other users are currently viewing
    (None, "One other user is currently viewing"): ["另有%(num_user)s位用户正在查看"],
    (
        None,
        "Proceeding will overwrite the changes you made in that window.",
    ): "继续操作将覆盖您在该窗口中所做的更改。",
    (
        None,
        "Proceeding will overwrite the changes made by %(user_name)s.",
    ): "继续操作将覆盖%(user_name)s所做的更改。",
    (
        None,
        "Alternatively, you can view the latest version in a new tab.",
    ): "您也可以在新标签页中查看最新版本。",
    (None, "A network error occurred"): "发生网络错误",
    (
        None,
        "Troubleshoot your connection to the site before proceeding. Open the editor in a separate tab to view the last saved version.",
    ): "请先排查与网站的连接问题再继续。可在另一个标签页中打开编辑器，查看最近保存的版本。",
    (None, "account"): "账号设置",
    (
        None,
        "Keyboard shortcuts are currently disabled; manage your %(account_link)s to enable them.",
    ): "键盘快捷键当前已禁用；可在%(account_link)s中启用。",
    (None, "Section"): "分类",
    (
        None,
        "Keyboard shortcuts are currently enabled; manage your %(account_link)s to disable them.",
    ): "键盘快捷键当前已启用；可在%(account_link)s中禁用。",
    (None, "Show issue"): "显示问题",
    (None, "Content metrics"): "内容指标",
    (None, "Words"): "字数",
    (None, "Reading time"): "阅读时间",
    (None, "Readability"): "可读性",
    (None, "This data explained"): "数据说明",
    (None, "How we calculate our metrics"): "指标的计算方法",
    (
        None,
        "We extract the main content from the page preview, remove all formatting, and calculate the number of words.",
    ): "我们从页面预览中提取主要内容，去除所有格式后计算字数。",
    (
        None,
        "We calculate reading time from word count, using different reading speeds for different languages.",
    ): "我们根据字数计算阅读时间，不同语言采用不同的阅读速度。",
    (
        None,
        "We use a readability formula based on length of words and sentences. Long sentences and words result in a worse readability score.",
    ): "我们使用基于词长和句长的可读性公式。句子和词语越长，可读性得分越差。",
    (
        None,
        'See our <a href="%(guide_link)s" target="_blank">content checks guide</a> for more information on how content metrics are calculated.',
    ): '有关内容指标计算方法的更多信息，请参阅<a href="%(guide_link)s" target="_blank">内容检查指南</a>。',
    (
        None,
        "Available in %(translations_total)s locales",
    ): "共有%(translations_total)s个语言区域版本",
    (None, "Locking: "): "锁定： ",
    (
        None,
        "Anyone can edit this %(model_name)s – lock it to prevent others from editing",
    ): "任何人都可以编辑此%(model_name)s，锁定后可防止他人编辑",
    (None, "Anyone can edit this %(model_name)s"): "任何人都可以编辑此%(model_name)s",
    (None, "Choose who can view the live version of this page"): "选择谁可以查看此页面的已发布版本",
    (None, "To be created by %(user)s"): "将由%(user)s创建",
    (None, "Invalid schedule"): "发布计划无效",
    (None, "Go-live:"): "上线时间：",
    (None, "Once scheduled:"): "设为计划发布后：",
    (None, "Refreshing…"): "正在刷新…",
    (None, "Refresh"): "刷新",
    (
        None,
        "Correct the validation errors to resume preview (saving will highlight errors)",
    ): "请更正验证错误以恢复预览（保存后将突出显示错误）",
    (None, "Autosave is <span>paused</span>"): "自动保存<span>已暂停</span>",
    (None, "Save your changes before leaving"): "离开前请保存您的更改",
    # plural: This %(model_name)s is referenced %(usage_count)s times.
    (None, "This %(model_name)s is referenced %(usage_count)s time."): [
        "此%(model_name)s被引用了%(usage_count)s次。"
    ],
    (
        None,
        "One or more references to this %(model_name)s prevent it from being deleted.",
    ): "此%(model_name)s存在一处或多处引用，因此无法删除。",
    (None, "Status %(status)s"): "状态：%(status)s",
    (
        None,
        "%(action)s by <b>%(who)s</b> at <b>%(at)s</b>",
    ): "<b>%(who)s</b>于<b>%(at)s</b>%(action)s",
    (None, "%(action)s at <b>%(at)s</b>"): "于<b>%(at)s</b>%(action)s",
    (None, "%(action)s by <b>%(who)s</b>"): "<b>%(who)s</b>%(action)s",
    (
        None,
        "This %(model_name)s hasn't been submitted for moderation yet",
    ): "此%(model_name)s尚未提交审核",
    (
        None,
        'JavaScript is required to use Wagtail, but it is currently disabled.<br /> Here are the <a href="https://www.enable-javascript.com/" target="_blank" rel="noreferrer">instructions how to enable JavaScript in your web browser</a>.',
    ): '使用 Wagtail 需要 JavaScript，但当前已禁用。<br />请参阅<a href="https://www.enable-javascript.com/" target="_blank" rel="noreferrer">在浏览器中启用 JavaScript 的说明</a>。',
    (None, "Item %(index)s of %(total)s"): "第%(index)s项，共%(total)s项",
    (None, "Disable custom ordering"): "禁用自定义排序",
    (None, "Enable custom ordering"): "启用自定义排序",
    (None, "Checks"): "检查",
    (
        None,
        "This workflow is currently in progress on %(workflow_states_in_progress)s pages. Deleting this workflow will cancel moderation on these page. Are you sure you want to delete this workflow?",
    ): "此工作流当前正在%(workflow_states_in_progress)s个页面上进行。删除此工作流将取消这些页面的审核。确定要删除此工作流吗？",
    (None, "Assign your workflow to snippets"): "将工作流分配给片段",
    (
        None,
        "This workflow is disabled so it cannot be assigned to any snippets.",
    ): "此工作流已禁用，因此无法分配给任何片段。",
    # A status badge; Django's auth catalog says 禁用 for the same msgid: same words, whatever the app order.
    (None, "Disabled"): "禁用",
    # plural: %(counter)s snippet types
    (None, "1 snippet type"): ["%(counter)s种片段类型"],
    (
        None,
        'Why not <a class="create-one-now" href="#tab-new" data-action="w-tabs#select:prevent" data-w-tabs-target="trigger" data-w-tabs-focus-param="true">create one now</a>?',
    ): '为何不<a class="create-one-now" href="#tab-new" data-action="w-tabs#select:prevent" data-w-tabs-target="trigger" data-w-tabs-focus-param="true">立即创建一个</a>？',
    (None, "Cancelled by %(cancelled_by)s"): "已由%(cancelled_by)s取消",
    (None, "More bulk actions"): "更多批量操作",
    (None, "at %(time)s by %(user_display_name)s"): "%(user_display_name)s于%(time)s",
    (None, "at %(time)s"): "于%(time)s",
    (None, "%(time)s by %(user_display_name)s"): "%(user_display_name)s于%(time)s",
    (
        None,
        "%(time_period)s ago by %(user_display_name)s",
    ): "%(user_display_name)s于%(time_period)s前",
    (None, "Changes requested %(finished_at)s"): "%(finished_at)s请求修改",
    (None, "Sent to %(task_name)s %(started_at)s"): "%(started_at)s提交至%(task_name)s",
    (
        None,
        "%(status_display)s %(task_name)s %(started_at)s",
    ): "%(status_display)s：%(task_name)s（%(started_at)s）",
    (None, "Application"): "通用",
    (None, "Show keyboard shortcuts"): "显示键盘快捷键",
    (None, "Toggle minimap"): "切换小地图",
    (None, "Close modal dialogs (like this one)"): "关闭模态对话框（例如本对话框）",
    (None, "Save changes"): "保存更改",
    (None, "Add or show comments"): "添加或显示评论",
    (None, "Text editing"): "文本编辑",
    (None, "Cut"): "剪切",
    (None, "Paste"): "粘贴",
    (None, "Paste and match style"): "粘贴并匹配样式",
    (None, "Paste without formatting"): "无格式粘贴",
    (None, "Text formatting"): "文本格式",
    (None, "Insert or edit a link"): "插入或编辑链接",
    (None, "Monospace (code)"): "等宽（代码）",
    (None, "Strike-through"): "删除线",
    # plural: Referenced %(count)s times
    (None, "Referenced %(count)s time"): ["被引用%(count)s次"],
    (None, "Toggle checks"): "切换检查面板",
    (None, "(blank)"): "（空）",
    (None, "Sort by '%(label)s' in ascending order."): "按“%(label)s”升序排列。",
    (None, "Sort by '%(label)s' in descending order."): "按“%(label)s”降序排列。",
    (None, "'%(page_title)s' has been moved successfully."): "“%(page_title)s”已成功移动。",
    (
        None,
        "Focus on the drag button and press up or down arrows to move the item, then press enter to submit the change.",
    ): "聚焦到拖动按钮后，按上、下方向键移动该项，然后按回车键提交更改。",
    (None, "Button text is empty"): "按钮文本为空",
    (None, "Use meaningful text for screen reader users"): "请为屏幕阅读器用户提供有意义的文本",
    (None, "Empty heading found"): "发现空标题",
    (None, "Table header text is empty"): "表头文本为空",
    (None, "Empty frame title found"): "发现空的框架标题",
    (None, "Use a meaningful title for screen reader users"): "请为屏幕阅读器用户提供有意义的标题",
    (None, "Incorrect heading hierarchy"): "标题层级不正确",
    (None, "Avoid skipping levels"): "避免跳过标题层级",
    (None, "Input button text is empty"): "输入按钮的文本为空",
    (None, "Link text is empty"): "链接文本为空",
    (None, "Misusing paragraphs as headings"): "误将段落用作标题",
    (None, "Use proper heading tags"): "请使用正确的标题标签",
    (None, "Image alt text has inappropriate pattern"): "图片替代文本的写法不恰当",
    (None, "Use meaningful text"): "请使用有意义的文本",
    (None, "Meta description is empty"): "元描述为空",
    (None, "Add a concise description for search engines"): "请为搜索引擎添加简明的描述",
    (None, "%(classname)s object (%(id)s)"): "%(classname)s对象（%(id)s）",
    (None, "Theme preferences"): "主题偏好设置",
    (None, "No %(model_name)s match your query."): "没有与您的查询匹配的%(model_name)s。",
    (None, "%(model_name)s '%(title)s' is now unlocked."): "%(model_name)s“%(title)s”已解锁。",
    (
        None,
        "%(model_name)s '%(object)s' has been scheduled for publishing.",
    ): "%(model_name)s“%(object)s”已计划发布。",
    (
        None,
        "%(model_name)s '%(object)s' created and scheduled for publishing.",
    ): "%(model_name)s“%(object)s”已创建并计划发布。",
    (
        None,
        "%(model_name)s '%(object)s' is live and this version has been scheduled for publishing.",
    ): "%(model_name)s“%(object)s”当前已发布，此版本已计划发布。",
    (
        None,
        "%(model_name)s '%(object)s' updated and published.",
    ): "%(model_name)s“%(object)s”已更新并发布。",
    (
        None,
        "%(model_name)s '%(object)s' created and published.",
    ): "%(model_name)s“%(object)s”已创建并发布。",
    (
        None,
        "%(model_name)s '%(object)s' has been submitted for moderation.",
    ): "%(model_name)s“%(object)s”已提交审核。",
    (
        None,
        "%(model_name)s '%(object)s' created and submitted for moderation.",
    ): "%(model_name)s“%(object)s”已创建并提交审核。",
    (
        None,
        "Workflow on %(model_name)s '%(object)s' has been restarted.",
    ): "%(model_name)s“%(object)s”的工作流已重新启动。",
    (
        None,
        "Workflow on %(model_name)s '%(object)s' has been cancelled.",
    ): "%(model_name)s“%(object)s”的工作流已取消。",
    (None, "Saving will overwrite a newer version."): "保存将覆盖较新的版本。",
    (
        None,
        "The %(model_name)s could not be saved as it is locked",
    ): "该%(model_name)s已被锁定，无法保存",
    (
        None,
        "You are viewing a previous version of this %(model_name)s from <b>%(created_at)s</b> by %(user)s",
    ): "您正在查看此%(model_name)s由%(user)s于<b>%(created_at)s</b>创建的早期版本",
    (
        None,
        "%(model_name)s '%(object)s' has been replaced with version from %(timestamp)s.",
    ): "%(model_name)s“%(object)s”已替换为%(timestamp)s的版本。",
    (
        None,
        "Version from %(timestamp)s of %(model_name)s '%(object)s' has been published.",
    ): "%(model_name)s“%(object)s”%(timestamp)s的版本已发布。",
    (
        None,
        "Version from %(timestamp)s of %(model_name)s '%(object)s' has been scheduled for publishing.",
    ): "%(model_name)s“%(object)s”%(timestamp)s的版本已计划发布。",
    (None, "%(related_model_name)s %(field_label)s"): "%(related_model_name)s%(field_label)s",
    (None, "Sort item order"): "调整条目顺序",
    (None, "New: %(model_name)s"): "新建：%(model_name)s",
    (
        None,
        "There are validation errors, click save to highlight them.",
    ): "存在验证错误，请点击保存以突出显示。",
    (None, "Compare"): "比较",
    (
        None,
        "Preview for %(block_label)s (%(block_type)s)",
    ): "%(block_label)s（%(block_type)s）的预览",
    (None, "If you confirm deletion"): "若确认删除",
    (None, "(Private %(object)s)"): "（私有%(object)s）",
    (
        None,
        "The %(model_name)s '%(title)s' is not currently awaiting moderation.",
    ): "%(model_name)s“%(title)s”当前不处于待审核状态。",
    (
        None,
        "The %(model_name)s '%(title)s' is not currently awaiting moderation in task '%(task_name)s'.",
    ): "%(model_name)s“%(title)s”当前未在任务“%(task_name)s”中等待审核。",
    (None, "Search all pages…"): "搜索所有页面…",
    (
        None,
        "Privacy is inherited from the ancestor page - %(ancestor_page)s",
    ): "隐私设置继承自上级页面：%(ancestor_page)s",
    (
        None,
        "%(parent_pages)s and %(child_pages)s have been deleted",
    ): "已删除%(parent_pages)s及%(child_pages)s",
    # plural: %(num_parent_objects)d pages have been deleted
    (None, "%(num_parent_objects)d page has been deleted"): ["已删除%(num_parent_objects)d个页面"],
    # plural: %(num_parent_objects)d pages
    (None, "%(num_parent_objects)d page"): ["%(num_parent_objects)d个页面"],
    # plural: %(num_child_objects)d child pages
    (None, "%(num_child_objects)d child page"): ["%(num_child_objects)d个子页面"],
    (
        None,
        "%(parent_pages)s and %(child_pages)s have been published",
    ): "已发布%(parent_pages)s及%(child_pages)s",
    # plural: %(num_parent_objects)d pages have been published
    (None, "%(num_parent_objects)d page has been published"): [
        "已发布%(num_parent_objects)d个页面"
    ],
    (
        None,
        "%(parent_pages)s and %(child_pages)s have been unpublished",
    ): "已取消发布%(parent_pages)s及%(child_pages)s",
    # plural: %(num_parent_objects)d pages have been unpublished
    (None, "%(num_parent_objects)d page has been unpublished"): [
        "已取消发布%(num_parent_objects)d个页面"
    ],
    (None, "Choose parent"): "选择父页面",
    (None, "Create a new %(model_name)s"): "新建%(model_name)s",
    (
        None,
        "Request to create %(model_name)s was blocked by hook.",
    ): "创建%(model_name)s的请求已被钩子拦截。",
    (
        None,
        "The page could not be created due to validation errors.",
    ): "存在验证错误，无法创建页面。",
    (
        None,
        "Request to edit %(model_name)s was blocked by hook.",
    ): "编辑%(model_name)s的请求已被钩子拦截。",
    (None, "The page could not be saved as it is locked."): "页面已被锁定，无法保存。",
    (None, "The page could not be saved due to validation errors."): "存在验证错误，无法保存页面。",
    (None, "Is commenting action"): "是否为评论操作",
    (None, "Date updated"): "更新日期",
    (None, "Edited by"): "编辑者",
    (None, "Has child pages"): "是否有子页面",
    (None, "Any"): "不限",
    (None, "Page type"): "页面类型",
    (None, "Exploring"): "浏览",
    (
        None,
        "The slug '%(page_slug)s' is already in use at the selected parent page. Make sure the slug is unique and try again.",
    ): "缩略名“%(page_slug)s”已在所选父页面下使用。请确保缩略名唯一后重试。",
    (None, "Placeholder title"): "占位标题",
    (None, "Page types usage"): "页面类型使用情况",
    (None, "Locked by"): "锁定人",
    (None, "Anyone"): "不限",
    (None, "By task"): "按任务",
    (None, "By workflow"): "按工作流",
    (None, "Show disabled"): "显示已禁用项",
    # plural: This workflow is in progress on %(states_in_progress)d pages/snippets. Disabling this workflow will cancel moderation on these pages/snippets.
    (
        None,
        "This workflow is in progress on %(states_in_progress)d page/snippet. Disabling this workflow will cancel moderation on this page/snippet.",
    ): [
        "此工作流正在%(states_in_progress)d个页面/片段上进行。禁用此工作流将取消相应页面/片段的审核。"
    ],
    # plural: This task is in progress on %(states_in_progress)d pages/snippets. Disabling this task will cause it to be skipped in the moderation workflow and not be listed for selection when editing a workflow.
    (
        None,
        "This task is in progress on %(states_in_progress)d page/snippet. Disabling this task will cause it to be skipped in the moderation workflow and not be listed for selection when editing a workflow.",
    ): [
        "此任务正在%(states_in_progress)d个页面/片段上进行。禁用此任务后，审核工作流将跳过该任务，且编辑工作流时不会再列出该任务供选择。"
    ],
    (None, "Shortcuts"): "快捷键",
    # wagtail/contrib/forms
    (
        None,
        "The name '%(duplicate_clean_name)s' is already assigned to this field and cannot be changed. Please enter a different label for the conflicting field.",
    ): "名称“%(duplicate_clean_name)s”已分配给此字段，无法更改。请为冲突的字段输入其他标签。",
    (
        None,
        "Field name '%(duplicate_clean_name)s' conflicts with another field. Please change the label.",
    ): "字段名“%(duplicate_clean_name)s”与另一个字段冲突。请修改标签。",
    (
        None,
        "Comma or new line separated list of choices. Only applicable in checkboxes, radio and dropdown.",
    ): "选项列表，以逗号或换行分隔。仅适用于复选框、单选按钮和下拉列表。",
    (
        None,
        "Default value. Comma or new line separated values supported for checkboxes.",
    ): "默认值。复选框支持以逗号或换行分隔的多个值。",
    # plural: Are you sure you want to delete these form submissions?
    (None, "Are you sure you want to delete this form submission?"): [
        "确定要删除所选的表单提交记录吗？"
    ],
    # wagtail/contrib/redirects
    (
        None,
        "<p>Select a file where redirects are separated into rows and contains the columns representing <code>from</code> and <code>to</code> (they can be named anything).</p> <p>After submitting you will be taken to a confirmation view where you can customize your redirects before import.</p>",
    ): "<p>请选择一个文件，文件中每行为一条重定向，并包含分别表示<code>from</code>（源地址）和<code>to</code>（目标地址）的列（列名不限）。</p> <p>提交后将进入确认页面，您可以在导入前调整这些重定向。</p>",
    (
        None,
        'File format of type "%(extension)s" is not supported.',
    ): "不支持“%(extension)s”类型的文件格式。",
    (
        None,
        "Imported file has a wrong encoding: %(error_message)s.",
    ): "导入文件的编码有误：%(error_message)s。",
    (
        None,
        "%(error)s encountered while trying to read file: %(filename)s.",
    ): "读取文件%(filename)s时出错：%(error)s。",
    # wagtail/contrib/search_promotions
    (
        None,
        "You must enter an external link text if you enter an external link URL.",
    ): "填写外部链接网址时，必须同时填写外部链接文本。",
    (None, "You must recommend a page OR an external link."): "必须推荐一个页面或一个外部链接。",
    (
        None,
        "Please only select a page OR enter an external link.",
    ): "请只选择一个页面，或只填写一个外部链接。",
    (None, "query"): "搜索词",
    (None, "queries"): "搜索词",
    (None, "Choose an internal page for this promotion"): "为此推广选择一个站内页面",
    (None, "External link URL"): "外部链接网址",
    (None, "Alternatively, use an external link for this promotion"): "也可以为此推广使用外部链接",
    (None, "Applies to internal page or external link"): "适用于站内页面或外部链接",
    (
        None,
        '<p>Promoted search results are a means of recommending specific pages or external links that might not organically come high up in search results. E.g recommending your primary donation page to a user searching with the less common term "<em>giving</em>".</p>',
    ): "<p>推广搜索结果用于推荐在自然搜索结果中排名可能不靠前的特定页面或外部链接。例如，当用户使用不太常见的词“<em>捐助</em>”搜索时，向其推荐您的主要捐赠页面。</p>",
    (
        None,
        '<p>The "Search term(s)/phrase" field below must contain the full and exact search for which you wish to provide recommended results, <em>including</em> any misspellings/user error. To help, you can choose from search terms that have been popular with users of your site.</p>',
    ): "<p>下方“搜索词/短语”字段必须填写您希望为其提供推荐结果的完整、准确的搜索内容，<em>包括</em>任何拼写错误或输入错误。您也可以从本站用户的热门搜索词中选择。</p>",
    (None, "Recommended search result"): "推荐搜索结果",
    (None, "Add a recommended result"): "添加推荐结果",
    (None, "No promoted results have been created."): "尚未创建任何推广结果。",
    (None, "Views"): "浏览次数",
    (None, "Search terms"): "搜索词",
    (None, "Recommendations have not been created due to errors."): "出现错误，推荐未能创建。",
    (None, "Recommendations have not been saved due to errors."): "出现错误，推荐未能保存。",
    # wagtail/contrib/simple_translation
    # plural: Include subtree (%(descendant_count)s pages)
    (None, "Include subtree (%(descendant_count)s page)"): [
        "包括子树（%(descendant_count)s个页面）"
    ],
    (None, "Can submit translations"): "可以提交翻译",
    # wagtail/contrib/table_block
    (None, "Table headers"): "表头",
    (None, "Display the first row as a header"): "将第一行显示为表头",
    (None, "Display the first column as a header"): "将第一列显示为表头",
    (None, "Display the first row AND first column as headers"): "将第一行和第一列都显示为表头",
    (None, "No headers"): "无表头",
    (None, "Which cells should be displayed as headers?"): "哪些单元格应显示为表头？",
    (
        None,
        "A heading that identifies the overall topic of the table, and is useful for screen reader users.",
    ): "标明表格总体主题的标题，便于屏幕阅读器用户理解。",
    (None, "Select a header option"): "请选择表头选项",
    # wagtail/contrib/typed_table_block
    (None, "Caption"): "表格标题",
    # wagtail/documents
    (None, "Maximum filesize: %(max_upload_size)s."): "最大文件大小：%(max_upload_size)s。",
    (
        None,
        'Why not <a class="upload-one-now" href="#tab-upload" data-action="w-tabs#select:prevent" data-w-tabs-target="trigger" data-w-tabs-focus-param="true">upload one now</a>?',
    ): '为何不<a class="upload-one-now" href="#tab-upload" data-action="w-tabs#select:prevent" data-w-tabs-target="trigger" data-w-tabs-focus-param="true">立即上传一个</a>？',
    # plural: %(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>
    (None, '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>'): [
        '%(total)s个文档<span class="w-sr-only">（创建于%(site_name)s）</span>'
    ],
    (None, "The document could not be created due to errors."): "出现错误，无法创建文档。",
    (
        None,
        "The file could not be found. Please change the source or delete the document.",
    ): "找不到该文件。请更换来源或删除此文档。",
    # wagtail/images
    (None, "unknown number"): "数量未知",
    (None, "Layout"): "布局",
    (None, "You haven't uploaded any images."): "您尚未上传任何图片。",
    # plural: %(total)s Images <span class="w-sr-only">created in %(site_name)s</span>
    (None, '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>'): [
        '%(total)s张图片<span class="w-sr-only">（创建于%(site_name)s）</span>'
    ],
    (None, "Image focal point"): "图片焦点",
    (None, "Grid layout"): "网格布局",
    (None, "List layout"): "列表布局",
    (
        None,
        "Please provide an image description to comply with best practices for accessibility.",
    ): "请提供图片描述，以符合无障碍访问的最佳实践。",
    (
        None,
        "Upload successful. However, your new image seems to be a duplicate of this existing image. You may delete it if it wasn't required.",
    ): "上传成功。但新图片似乎与这张现有图片重复。如不需要，可以将其删除。",
    (None, "Oldest"): "最早",
    (None, "Usage count: (low to high)"): "使用次数：（从低到高）",
    (None, "Usage count: (high to low)"): "使用次数：（从高到低）",
    (None, "Generate URL"): "生成网址",
    (None, "The filter options you have selected are not valid."): "您选择的筛选选项无效。",
    # wagtail
    (None, "Wagtail API v3"): "Wagtail API v3",
    (None, "- Select an option -"): "- 请选择 -",
    (None, "Wagtail sitemaps"): "Wagtail 站点地图",
    (None, "Unknown content type"): "未知内容类型",
    (None, "Date cannot be in the future."): "日期不能晚于当前日期。",
    (
        None,
        "No one can make changes while the %(model_name)s is locked",
    ): "该%(model_name)s锁定期间，任何人都无法修改",
    (
        None,
        "<b>'{title}' was locked</b> by <b>you</b> on <b>{datetime}</b>.",
    ): "<b>“{title}”已被锁定</b>（由<b>您</b>于<b>{datetime}</b>锁定）。",
    (
        None,
        "<b>'{title}' is locked</b> by <b>you</b>.",
    ): "<b>“{title}”已被锁定</b>（由<b>您</b>锁定）。",
    (
        None,
        "<b>'{title}' was locked</b> by <b>{user}</b> on <b>{datetime}</b>.",
    ): "<b>“{title}”已被锁定</b>（由<b>{user}</b>于<b>{datetime}</b>锁定）。",
    (None, "<b>'{title}' is locked</b>."): "<b>“{title}”已被锁定</b>。",
    (None, "Locked by you"): "已被您锁定",
    (None, "Locked by another user"): "已被其他用户锁定",
    (
        None,
        "Only you can make changes while the %(model_name)s is locked",
    ): "该%(model_name)s锁定期间，只有您可以修改",
    (
        None,
        "Only %(user)s can make changes while the %(model_name)s is locked",
    ): "该%(model_name)s锁定期间，只有%(user)s可以修改",
    (
        None,
        "This %(model_name)s is currently awaiting moderation.",
    ): "此%(model_name)s当前正在等待审核。",
    (
        None,
        "This {model_name} is awaiting <b>'{task_name}'</b> in the <b>'{workflow_name}'</b> workflow.",
    ): "此{model_name}正处于<b>“{workflow_name}”</b>工作流的<b>“{task_name}”</b>阶段，等待审核。",
    (
        None,
        "Only reviewers for this task can edit the %(model_name)s.",
    ): "只有此任务的审核人可以编辑该%(model_name)s。",
    (None, "Locked by workflow"): "已被工作流锁定",
    (
        None,
        "Reviewers can edit this %(model_name)s – lock it to prevent other reviewers from editing",
    ): "审核人可以编辑此%(model_name)s，锁定后可防止其他审核人编辑",
    (
        None,
        "Only reviewers can edit and approve the %(model_name)s",
    ): "只有审核人可以编辑和批准该%(model_name)s",
    (
        None,
        "{model_name} '{title}' is locked and has been scheduled to go live at {datetime}",
    ): "{model_name}“{title}”已锁定，并计划于{datetime}上线",
    (None, "Locked by schedule"): "已被发布计划锁定",
    (
        None,
        "Currently locked and will go live on the scheduled date",
    ): "当前已锁定，将在计划日期上线",
    (None, "A human-readable label to identify this token."): "用于识别此令牌的易读名称。",
    (None, "created"): "创建时间",
    (None, "revoked at"): "撤销时间",
    (None, "last used at"): "最近使用时间",
    (None, "API token"): "API 令牌",
    (None, "API tokens"): "API 令牌",
    (None, "locale"): "语言区域",
    (None, "for content type"): "适用内容类型",
    (
        None,
        "The slug '%(page_slug)s' is already in use within the parent page at '%(parent_url_path)s'.",
    ): "缩略名“%(page_slug)s”已被“%(parent_url_path)s”处父页面下的其他页面使用。",
    (
        None,
        "Cannot overwrite a revision that is not the latest for this %(model_name)s.",
    ): "无法覆盖：该修订版本不是此%(model_name)s的最新版本。",
    (
        None,
        "Cannot overwrite a revision that was not created by the current user.",
    ): "无法覆盖：该修订版本不是由当前用户创建的。",
    (None, "the %(model_name)s will also be deleted"): "该%(model_name)s也将被删除",
    (None, "prevents deletion"): "阻止删除",
    (None, "will be set to the default %(model_name)s"): "将被设为默认%(model_name)s",
    (None, "will do nothing"): "无影响",
    (None, "may prevent deletion"): "可能阻止删除",
    (
        None,
        "will be set to a %(model_name)s specified by the system",
    ): "将被设为系统指定的%(model_name)s",
    (None, "will unset the reference"): "将清除该引用",
    (None, "group site permission"): "组站点权限",
    (None, "group site permissions"): "组站点权限",
    (None, "Private, accessible with a shared password"): "私有，持有共享密码即可访问",
    (None, "Private, accessible to any logged-in users"): "私有，任何已登录用户均可访问",
    (None, "shared password"): "共享密码",
    (
        None,
        "Shared passwords should not be used to protect sensitive content. Anyone who has this password will be able to view the content.",
    ): "不应使用共享密码保护敏感内容。任何知道此密码的人都能查看该内容。",
    (
        None,
        "There may only be one in progress or needs changes workflow state per page/snippet.",
    ): "每个页面/片段只能有一个“进行中”或“需要修改”状态的工作流。",
    (
        None,
        "Workflow '%(workflow_name)s' on %(model_name)s '%(title)s': %(status)s",
    ): "%(model_name)s“%(title)s”上的工作流“%(workflow_name)s”：%(status)s",
    (
        None,
        "Active workflows can be added to pages/snippets. Deactivating a workflow does not remove it from existing pages/snippets.",
    ): "启用的工作流可以添加到页面/片段。停用工作流不会将其从已有的页面/片段中移除。",
    (
        None,
        "Pages/snippets at this step in a workflow will be moderated or approved by these groups of users",
    ): "处于工作流此步骤的页面/片段将由这些用户组审核或批准",
    (
        None,
        "Task '%(task_name)s' on Revision '%(revision_info)s': %(status)s",
    ): "修订版本“%(revision_info)s”上的任务“%(task_name)s”：%(status)s",
    (None, "Create API token"): "创建 API 令牌",
    (None, "API token created"): "API 令牌已创建",
    (None, "Revoke API token"): "撤销 API 令牌",
    (None, "API token revoked"): "API 令牌已撤销",
    (
        None,
        "%(model_name)s scheduled for publishing at %(go_live_at)s",
    ): "%(model_name)s已计划于%(go_live_at)s发布",
    (None, "%(model_name)s scheduled for publishing"): "%(model_name)s已计划发布",
    (
        None,
        "%(model_name)s unscheduled for publishing at %(go_live_at)s",
    ): "%(model_name)s已取消原定于%(go_live_at)s的发布计划",
    (None, "%(model_name)s unscheduled from publishing"): "%(model_name)s已取消发布计划",
    (
        None,
        "Removed the '%(restriction)s' view restriction. The page is public.",
    ): "已移除“%(restriction)s”查看限制，页面现为公开。",
    (None, "Resubmitted '%(task)s'. Workflow resumed"): "已重新提交“%(task)s”，工作流已恢复",
    # wagtail/locales
    (
        None,
        "%(num_pages)d pages and %(num_others)d others",
    ): "%(num_pages)d个页面及%(num_others)d个其他项",
    # plural: %(num_pages)d pages
    (None, "%(num_pages)d page"): ["%(num_pages)d个页面"],
    # wagtail/snippets
    (
        None,
        'You haven\'t created any %(snippet_type_name)s snippets. Why not <a href="%(wagtailsnippets_create_snippet_url)s" target="_blank" rel="noreferrer">create one now</a>?',
    ): '您尚未创建任何%(snippet_type_name)s片段。为何不<a href="%(wagtailsnippets_create_snippet_url)s" target="_blank" rel="noreferrer">立即创建一个</a>？',
    # wagtail/users
    (
        None,
        "Required. Letters, digits and @/./+/-/_ only.",
    ): "必填。只能包含字母、数字和 @/./+/-/_ 字符。",
    (None, "admin theme"): "后台主题",
    (None, "More contrast"): "增强对比度",
    (None, "contrast"): "对比度",
    (None, "Snug"): "紧凑",
    (None, "density"): "界面密度",
    (
        None,
        "Enable custom keyboard shortcuts specific to Wagtail.",
    ): "启用 Wagtail 专用的自定义键盘快捷键。",
    (None, "Yes, revoke"): "是的，撤销",
    (None, "No, don't revoke"): "否，不撤销",
    (
        None,
        'The token "%(name)s" has been created, copy it now, it will never be shown again.',
    ): "令牌“%(name)s”已创建。请立即复制，它将不会再次显示。",
    (None, "Copy token"): "复制令牌",
    (None, "Back to API tokens"): "返回 API 令牌",
    (
        None,
        "Copying failed — please select and copy the token manually.",
    ): "复制失败——请手动选择并复制令牌。",
    (None, "Revoked"): "已撤销",
    (None, "Toggle all change permissions"): "切换所有更改权限",
    (None, "Toggle all delete permissions"): "切换所有删除权限",
    (None, "Toggle all custom permissions"): "切换所有自定义权限",
    (None, "Can view"): "可查看",
    (None, "Last used"): "最近使用",
    (None, "Token"): "令牌",
    (None, "Revoke"): "撤销",
    (None, "Never"): "从未使用",
    (None, "Are you sure you want to revoke this API token?"): "确定要撤销此 API 令牌吗？",
    (None, "API token '%(name)s' revoked."): "API 令牌“%(name)s”已撤销。",
}
