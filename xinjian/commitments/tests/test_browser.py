import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_selects_a_commitment_concludes_it_untrue_and_the_public_page_shows_it(
    page, county_officer, enterprise_factory, commitment_factory
):
    e = enterprise_factory(name="南山区承诺不实食品有限公司", legal_representative="王建国")
    c = commitment_factory(e, matter="食品生产许可（告知承诺办理）")

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("nanshan")
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")

    page.goto("/staff/commitments/list/")
    page.get_by_role("link", name="南山区承诺不实食品有限公司").click()
    page.locator("#select-reason").fill("投诉反映生产场所与承诺不符")
    page.locator("#select").click()
    expect(page.locator("#status")).to_have_text("已选定待核查")

    page.get_by_role("button", name="分派核查").click()
    expect(page.locator("#status")).to_have_text("核查中")

    page.locator("#facts").fill("经现场核查，王建国承诺的检验设备不存在，联系电话：13912345678。")
    page.locator("#finding_no").fill("深南市监核〔2026〕9号")
    page.locator("#c-rectify").check()
    page.locator("#rectify_working_days").fill("10")
    page.locator("#c-penalty").check()
    page.locator("#penalty_decision_no").fill("深南市监罚〔2026〕99号")
    page.locator("#conclude-untrue").click()
    expect(page.locator("#status")).to_have_text("承诺不实")
    for shown in ("责令限期整改", "起算10个工作日", "深南市监罚〔2026〕99号"):
        expect(page.locator("#consequences")).to_contain_text(shown)

    page.goto(f"/public/enterprises/{e.uscc}/")
    finding = page.locator("#commitment-findings article.finding")
    expect(finding).to_have_count(1)
    for shown in ("承诺不实", "深南市监罚〔2026〕99号", "深南市监核〔2026〕9号", c.matter):
        expect(finding).to_contain_text(shown)
    for hidden in ("13912345678", "王建国"):  # redacted before publication
        expect(finding).not_to_contain_text(hidden)
