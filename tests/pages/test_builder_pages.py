"""Small businesses' pages as site builders ship them (WordPress themes with Elementor, Divi
and Astra footers, Wix, Squarespace, GoDaddy's builder, Shopify, Weebly, hand-written HTML),
each read as a careful reader reads it: the business's name and the address it takes mail at.
Addresses are split over <br>, paragraphs, list items and table cells, beside Font Awesome
icons and labels in elements of their own, with suites, units, floors, county and country
lines; a declared mailing address, PO box or registered office is the one for mail, a shop or
yard beside it is not, and hours, a person's name or a phone is no line of an address."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from skiptrace.pages import read_page


@dataclass(frozen=True)
class Site:
    id: str
    body: str
    address: str
    """The mailing address a careful reader takes (``PageAddress.one_line``), '' for none."""
    site_name: str = ""
    holder: str = ""
    """The copyright notice's holder."""
    head: str = ""
    town: str = ""
    """The town the address names, when its lines may leave it unclear (a British county)."""
    url: str = "https://www.business.example/"


def _ld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


def _og(name: str) -> str:
    return f'<meta property="og:site_name" content="{name}">'


_FA = '<i aria-hidden="true" class="fas fa-{}"></i>'

# fmt: off
SITES = [
    Site("elementor icon list in the footer",
         '<footer class="elementor elementor-location-footer"><div class="elementor-widget-'
         'container"><ul class="elementor-icon-list-items">'
         '<li class="elementor-icon-list-item"><span class="elementor-icon-list-icon">'
         + _FA.format("map-marker-alt") + '</span><span class="elementor-icon-list-text">'
         '2150 W Elm St, Ste 3, Lodi, CA 95242</span></li>'
         '<li class="elementor-icon-list-item"><a href="tel:2095550147"><span class='
         '"elementor-icon-list-icon">' + _FA.format("phone-alt") + '</span><span class='
         '"elementor-icon-list-text">(209) 555-0147</span></a></li>'
         '<li class="elementor-icon-list-item"><span class="elementor-icon-list-icon">'
         + _FA.format("clock") + '</span><span class="elementor-icon-list-text">Mon - Fri: '
         '8:00am - 5:00pm</span></li></ul></div>'
         '<p>&copy; 2025 Delta Valley Pest Control. All Rights Reserved. | Website by Pixel '
         'Pony</p></footer>',
         "2150 W Elm St, Ste 3, Lodi, CA 95242", holder="Delta Valley Pest Control",
         head="<title>Home - Delta Valley Pest Control</title>"),
    Site("divi footer widget, lines over br",
         '<div id="main-footer"><div id="footer-widgets"><div class="footer-widget"><div '
         'class="et_pb_widget widget_text"><h4 class="title">Visit Us</h4><div class='
         '"textwidget"><p>Carrow Physical Therapy<br>\n418 N Market St<br>\nSuite 210<br>\n'
         'Frederick, MD 21701</p></div></div></div><div class="footer-widget"><div class='
         '"et_pb_widget"><h4 class="title">Hours</h4><div class="textwidget"><p>Monday &#8211;'
         ' Thursday<br>7:00 am &#8211; 7:00 pm<br>Friday<br>7:00 am &#8211; 3:00 pm</p></div>'
         '</div></div></div><div id="footer-bottom"><div class="container clearfix"><div id='
         '"footer-info">Copyright &copy; 2024 Carrow Physical Therapy | Designed by Elegant '
         'Themes</div></div></div></div>',
         "418 N Market St, Suite 210, Frederick, MD 21701", holder="Carrow Physical Therapy"),
    Site("wix rich text, label in its own paragraph",
         '<div id="SITE_FOOTER"><div data-testid="richTextElement" class="wixui-rich-text">'
         '<p class="font_8 wixui-rich-text__text"><span class="wixui-rich-text__text">'
         '<span style="font-weight:bold;">Address</span></span></p>'
         '<p class="font_8 wixui-rich-text__text"><span class="wixui-rich-text__text">'
         '77 Harbor View Rd</span></p><p class="font_8 wixui-rich-text__text"><span class='
         '"wixui-rich-text__text">Camden, ME 04843</span></p>'
         '<p class="font_8 wixui-rich-text__text"><span class="wixui-rich-text__text">&#8203;'
         '</span></p><p class="font_8"><span>Tel: 207-555-0163</span></p></div>'
         '<div data-testid="richTextElement"><p class="font_9">&copy; 2023 by Seacoast Kayak '
         'Tours. Proudly created with Wix.com</p></div></div>',
         "77 Harbor View Rd, Camden, ME 04843", site_name="Seacoast Kayak Tours",
         holder="Seacoast Kayak Tours", head=_og("Seacoast Kayak Tours")),
    Site("squarespace: LocalBusiness address as one string",
         '<footer class="sections" id="footer-sections"><div class="sqs-block html-block">'
         '<div class="sqs-block-content"><p class="" style="white-space:pre-wrap;">Fern &amp; '
         'Thistle Florals<br>1219 Pearl St<br>Boulder, CO 80302</p><p class="">Tuesday &#8211; '
         'Saturday, 10 &#8211; 6</p></div></div></footer>',
         "1219 Pearl St, Boulder, CO 80302, United States", site_name="Fern & Thistle Florals",
         head=_ld('{"url":"https://www.fernthistle.example","name":"Fern &amp; Thistle Florals",'
                  '"@context":"http://schema.org","@type":"WebSite"}')
         + _ld('{"legalName":"Fern & Thistle Florals","address":"1219 Pearl St\\nBoulder, CO, '
               '80302\\nUnited States","email":"hello@fernthistle.example","telephone":'
               '"303-555-0139","sameAs":[],"@context":"http://schema.org","@type":'
               '"Organization"}')
         + _ld('{"address":"1219 Pearl St\\nBoulder, CO, 80302\\nUnited States","image":'
               '"https://images.squarespace-cdn.example/logo.png","name":"Fern & Thistle '
               'Florals","openingHours":"","@context":"http://schema.org","@type":'
               '"LocalBusiness"}')),
    Site("godaddy builder, state spelled out and a country",
         '<div data-ux="Block" data-aid="CONTACT_INFO_CONTAINER_REND"><h4 data-ux='
         '"ContentHeading">Ironwood Fencing LLC</h4><p data-ux="ContentText" data-aid='
         '"CONTACT_INFO_ADDRESS_REND">4410 E Ramsey Rd, Unit 4, Mesa, Arizona 85205, United '
         'States</p><a data-ux="Link" href="tel:4805550112" data-aid="CONTACT_INFO_PHONE_REND">'
         '(480) 555-0112</a><h4 data-ux="ContentHeading">Hours</h4><table data-ux="Table">'
         '<tr><td>Mon</td><td>07:00 am &#8211; 04:00 pm</td></tr><tr><td>Sat</td><td>By '
         'Appointment</td></tr></table></div><div data-ux="Footer"><p data-ux="FooterText">'
         'Copyright &copy; 2025 Ironwood Fencing LLC - All Rights Reserved.</p><p>Powered by '
         'GoDaddy</p></div>',
         "4410 E Ramsey Rd, Unit 4, Mesa, Arizona 85205, United States",
         holder="Ironwood Fencing LLC",
         head="<title>Ironwood Fencing LLC - Fence Contractor, Mesa AZ</title>"),
    Site("shopify footer, middots",
         '<footer class="footer color-scheme-1"><div class="footer__content-top page-width">'
         '<div class="footer-block__details-content rte"><p>Lowell Candle Co. &middot; 55 '
         'Foundry St, Unit 2B &middot; Lowell, MA 01852</p><p>Studio pickup Thursdays 3-6pm'
         '</p></div></div><div class="footer__copyright caption"><small class="copyright__'
         'content">&copy; 2025, <a href="/">Lowell Candle Co.</a></small><small class='
         '"copyright__content"><a href="https://www.shopify.com" rel="nofollow">Powered by '
         'Shopify</a></small></div></footer>',
         "55 Foundry St, Unit 2B, Lowell, MA 01852", site_name="Lowell Candle Co.",
         holder="Lowell Candle Co", head=_og("Lowell Candle Co."),
         url="https://lowellcandle.example/pages/contact"),
    Site("shopify contact page: a warehouse for returns and a mailing address",
         '<div class="page-width page-width--narrow"><h1 class="main-page-title">Contact</h1>'
         '<div class="rte"><p><strong>Returns</strong><br>Ship returns to our warehouse:<br>'
         '2600 Commerce Way, Dock 3<br>Reno, NV 89502</p><p><strong>Mailing address</strong>'
         '<br>Tahoe Trail Supply<br>PO Box 7718<br>Reno, NV 89510</p></div></div>',
         "PO Box 7718, Reno, NV 89510", site_name="Tahoe Trail Supply",
         head=_og("Tahoe Trail Supply"), url="https://tahoetrail.example/pages/contact-us"),
    Site("dentist: Yoast JSON-LD and a footer writing the suite as #200",
         '<footer id="colophon" class="site-footer"><div class="footer-widgets"><section class='
         '"widget"><h2 class="widget-title">Our Office</h2><p>9120 Montgomery Rd #200<br>'
         'Cincinnati, OH 45242</p><p>Dr. Anika Brandvold, DDS</p><p>Mon&ndash;Thu 7:30am '
         '&ndash; 4pm</p></section></div><div class="site-info">&copy; 2025 Kenwood Family '
         'Dental</div></footer>',
         "9120 Montgomery Rd #200, Cincinnati, OH 45242", site_name="Kenwood Family Dental",
         holder="Kenwood Family Dental",
         head=_ld('{"@context":"https://schema.org","@graph":[{"@type":"WebSite","@id":'
                  '"https://www.business.example/#website","name":"Kenwood Family Dental"},'
                  '{"@type":"Dentist","@id":"https://www.business.example/#dentist","name":'
                  '"Kenwood Family Dental","telephone":"+1-513-555-0176","address":{"@type":'
                  '"PostalAddress","streetAddress":"9120 Montgomery Rd Ste 200",'
                  '"addressLocality":"Cincinnati","addressRegion":"OH","postalCode":"45242",'
                  '"addressCountry":"US"}}]}')),
    Site("law firm, three offices, one the headquarters",
         '<section class="offices"><h2>Our Offices</h2><div class="office"><h3>Toledo '
         '(Headquarters)</h3><p>One SeaGate, Floor 22<br>Toledo, OH 43604</p><p>Phone: '
         '(419) 555-0108</p></div><div class="office"><h3>Findlay</h3><p>301 S Main St, '
         'Suite 5<br>Findlay, OH 45840</p><p>Phone: (419) 555-0131</p></div><div class='
         '"office"><h3>Bowling Green</h3><p>122 E Wooster St<br>Bowling Green, OH 43402</p>'
         '</div></section><footer>&copy; 2025 Marchetti Voss &amp; Kell LLP. Attorney '
         'Advertising.</footer>',
         "One SeaGate, Floor 22, Toledo, OH 43604", holder="Marchetti Voss & Kell LLP"),
    Site("plumber: mailing PO box beside the yard, labels as headings",
         '<div class="elementor-section elementor-top-section"><div class="elementor-column">'
         '<div class="elementor-widget-heading"><h4 class="elementor-heading-title">Shop &amp; '
         'Yard</h4></div><div class="elementor-widget-text-editor"><p>2290 Industrial Pkwy, '
         'Building C<br>Hayward, CA 94545</p></div></div><div class="elementor-column"><div '
         'class="elementor-widget-heading"><h4 class="elementor-heading-title">Mailing Address'
         '</h4></div><div class="elementor-widget-text-editor"><p>PO Box 4471<br>Hayward, CA '
         '94540</p></div></div></div><footer><p>&copy; 2025 Baylands Plumbing &amp; Rooter, '
         'Inc. CA Lic. #987654</p></footer>',
         "PO Box 4471, Hayward, CA 94540", holder="Baylands Plumbing & Rooter, Inc"),
    Site("plumber: mailing PO box after the yard on one footer line",
         '<footer class="site-footer"><p>Yard: 61 Quarry Ln, Tiverton, RI 02878 &nbsp;|&nbsp; '
         'Mailing address: P.O. Box 312, Tiverton, RI 02878</p><p>Call (401) 555-0186 &middot;'
         ' RI Master Plumber #MP1234</p><p>&copy; 2024 Sakonnet Plumbing &amp; Heating</p>'
         '</footer>',
         "P.O. Box 312, Tiverton, RI 02878", holder="Sakonnet Plumbing & Heating"),
    Site("uk solicitor: registered office in the footer's small print",
         '<div class="contact-strip"><h3>Our office</h3><p>Mardol House<br>22 Mardol<br>'
         'Shrewsbury<br>SY1 1PU</p><p>01743 555 012</p></div><footer class="footer"><p class='
         '"small">Thornbury Hale Solicitors LLP is authorised and regulated by the Solicitors '
         'Regulation Authority (SRA No. 612345). Registered in England No. OC401234. Registered'
         ' office: 14 Castle Street, Shrewsbury, Shropshire, SY1 2BQ.</p><p>&copy; 2025 '
         'Thornbury Hale Solicitors LLP</p></footer>',
         "14 Castle Street, Shrewsbury, Shropshire SY1 2BQ", town="Shrewsbury",
         holder="Thornbury Hale Solicitors LLP",
         url="https://www.business.example/contact-us/"),
    Site("uk accountant: a locality line and a county",
         '<footer><div class="footer-col"><h4>Find us</h4><address>Oakfield Accountancy Ltd'
         '<br>Unit 4, Brook Court<br>Whitchurch Lane<br>Little Aston<br>Sutton Coldfield<br>'
         'West Midlands<br>B74 3EE</address></div><div class="footer-col"><p>Company No. '
         '08123456 &middot; VAT No. GB 123 4567 89</p><p>&copy; 2025 Oakfield Accountancy Ltd'
         '</p></div></footer>',
         # a locality line between the street and the town ("Little Aston"), known by what it
         # is (``read_address.locality``: a name there is still no line, and nothing is read);
         # a reader would take "Unit 4, Brook Court, ...", but "Brook Court" after the unit may
         # be a name ("Dana Court") and is left out, as before
         "Unit 4, Whitchurch Lane, Little Aston, Sutton Coldfield, West Midlands B74 3EE",
         holder="Oakfield Accountancy Ltd"),
    Site("map embed and a Get directions link",
         '<section class="location"><h2>Visit the Bakery</h2><div class="map"><iframe src='
         '"https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2689.1!2d-122.47!3d48.75" '
         'width="600" height="450" style="border:0;" allowfullscreen="" loading="lazy">'
         '</iframe></div><p>1420 Cedar Ave, Ste 5<br>Bellingham, WA 98225</p><p><a href='
         '"https://www.google.com/maps/dir/?api=1&amp;destination=1420+Cedar+Ave+Bellingham" '
         'target="_blank">Get directions &rarr;</a></p></section><footer><p>&copy; 2025 Cedar '
         '&amp; Rye Bakehouse</p></footer>',
         "1420 Cedar Ave, Ste 5, Bellingham, WA 98225", holder="Cedar & Rye Bakehouse"),
    Site("map embed alone: no address written",
         '<section class="location"><h2>Find us</h2><iframe src="https://www.google.com/maps/'
         'embed/v1/place?key=AIzaFAKE&amp;q=880+Ridge+Rd,+Unit+7,+Lakewood,+CO+80215" width='
         '"600" height="450"></iframe><p>Open Tues&ndash;Sun, 11&ndash;9</p></section><footer>'
         '<p>&copy; 2025 Ridge Road Taproom</p></footer>',
         "", holder="Ridge Road Taproom"),
    Site("address in list items, Font Awesome icons",
         '<div class="footer-contact"><ul class="list-unstyled"><li>' + _FA.format("map-pin")
         + ' 3105 Kingston Pike</li><li>' + _FA.format("building") + ' Suite 12</li><li>'
         + _FA.format("city") + ' Knoxville, TN 37919</li><li>' + _FA.format("phone")
         + ' <a href="tel:8655550193">865-555-0193</a></li><li>' + _FA.format("envelope")
         + ' <a href="mailto:info@business.example">info@business.example</a></li></ul></div>'
         '<div class="copyright">&copy; 2025 Volunteer Landscape Supply</div>',
         "3105 Kingston Pike, Suite 12, Knoxville, TN 37919",
         holder="Volunteer Landscape Supply"),
    Site("address in table cells beside its label",
         '<table class="contact-table"><tr><th>Address:</th><td>88 Mill Pond Rd<br>Floor 2'
         '<br>Ashland, NH 03217</td></tr><tr><th>Phone:</th><td>603-555-0127</td></tr><tr>'
         '<th>Hours:</th><td>Mon&ndash;Fri 9&ndash;5</td></tr></table><div class="footer">'
         '&copy; 2025 Pemi Valley Insurance Agency</div>',
         "88 Mill Pond Rd, Floor 2, Ashland, NH 03217", holder="Pemi Valley Insurance Agency"),
    Site("label in its own span, icon before it (Astra footer)",
         '<footer class="site-footer"><div class="ast-builder-html-element"><p><span class='
         '"ast-icon">' + _FA.format("map-marker") + '</span> <strong>Address:</strong></p><p>'
         '640 Route 17 North<br>Paramus, NJ 07652</p><p><strong>Phone:</strong> (201) 555-0154'
         '</p></div><div class="ast-footer-copyright"><p>Copyright &copy; 2025 Garden State '
         'Spine Center | Powered by Garden State Spine Center</p></div></footer>',
         "640 Route 17 North, Paramus, NJ 07652", holder="Garden State Spine Center"),
    Site("a county line and a USA line",
         '<div class="contact-info"><p>Blue Heron Veterinary Clinic<br>2714 State Road 70 E'
         '<br>Manatee County<br>Bradenton, FL 34208<br>USA</p></div><footer>&copy; 2025 Blue '
         'Heron Veterinary Clinic</footer>',
         "2714 State Road 70 E, Bradenton, FL 34208", holder="Blue Heron Veterinary Clinic"),
    Site("weebly: the owner's name above the street",
         '<div class="paragraph">Hollis Orchard Farm Stand<br>Martha Hollis, Proprietor<br>'
         '1209 Old County Rd<br>Hollis, NH 03049<br>(603) 555-0121</div><div id="footer">'
         '&copy; 2025 Hollis Orchard Farm Stand</div>',
         "1209 Old County Rd, Hollis, NH 03049", holder="Hollis Orchard Farm Stand"),
    Site("billing address beside the clinic",
         '<div class="contact"><h3>Clinic</h3><p>512 W 5th Ave, Ste 101<br>Anchorage, AK '
         '99501</p><h3>Billing Address</h3><p>Northern Lights Pediatrics<br>Attn: Billing '
         'Dept.<br>PO Box 240117<br>Anchorage, AK 99524</p></div><footer>&copy; 2025 Northern '
         'Lights Pediatrics</footer>',
         "PO Box 240117, Anchorage, AK 99524", holder="Northern Lights Pediatrics"),
    Site("corporate office and a store",
         '<div class="locations"><div class="loc"><h4>Store</h4><p>1800 Broad St<br>'
         'Augusta, GA 30904</p></div><div class="loc"><h4>Corporate Office</h4><p>3540 '
         'Wheeler Rd, Suite 410<br>Augusta, GA 30909</p></div></div><footer>&copy; 2025 '
         'Riverwalk Outfitters, Inc.</footer>',
         "3540 Wheeler Rd, Suite 410, Augusta, GA 30909", holder="Riverwalk Outfitters, Inc"),
    Site("microdata LocalBusiness in a theme footer",
         '<footer><div itemscope itemtype="https://schema.org/HVACBusiness"><span itemprop='
         '"name">Prairie Air Heating &amp; Cooling</span><div itemprop="address" itemscope '
         'itemtype="https://schema.org/PostalAddress"><span itemprop="streetAddress">415 N '
         'Main St, Unit 4</span><br><span itemprop="addressLocality">Mitchell</span>, <span '
         'itemprop="addressRegion">SD</span> <span itemprop="postalCode">57301</span></div>'
         '<span itemprop="telephone">(605) 555-0118</span></div><p>&copy; 2025 Prairie Air '
         'Heating &amp; Cooling</p></footer>',
         "415 N Main St, Unit 4, Mitchell, SD 57301", site_name="Prairie Air Heating & Cooling",
         holder="Prairie Air Heating & Cooling"),
    Site("h-card in a hand-written footer",
         '<footer><div class="h-card"><a class="p-name u-url" href="/">Kestrel Bookkeeping'
         '</a><div class="p-adr h-adr"><div class="p-street-address">27 Elm Row, Floor 2</div>'
         '<span class="p-locality">Gloucester</span>, <span class="p-region">MA</span> <span '
         'class="p-postal-code">01930</span></div></div><p>&copy; 2025 Kestrel Bookkeeping</p>'
         '</footer>',
         "27 Elm Row, Floor 2, Gloucester, MA 01930", holder="Kestrel Bookkeeping"),
    Site("a testimonial's town and a service area are no address",
         '<section class="reviews"><blockquote>&ldquo;They fixed our roof in a day.&rdquo;'
         '<cite>&mdash; Dana P., Lakeville, MN</cite></blockquote></section><section><h3>'
         'Service area</h3><p>Apple Valley, Burnsville, Eagan, Lakeville, Farmington and '
         'surrounding areas in Dakota County, MN 55044</p></section><footer><p>North Star '
         'Roofing &middot; 16290 Kenrick Ave #120 &middot; Lakeville, MN 55044</p><p>&copy; '
         '2025 North Star Roofing LLC</p></footer>',
         "16290 Kenrick Ave #120, Lakeville, MN 55044", holder="North Star Roofing LLC"),
    Site("an about page's prose: the street, then 'in' its town",
         '<div class="entry-content"><h2>About Us</h2><p>Founded in 1987 by Ray and Linda '
         'Okafor, we moved to our current showroom at 212 Fulton St. in St. Louis, MO 63118 in '
         '2004, where we still build every cabinet by hand.</p></div><footer class="site-footer">'
         '<p>&copy; 2025 Gateway Custom Cabinetry</p></footer>',
         "212 Fulton St., St. Louis, MO 63118", town="St. Louis",
         holder="Gateway Custom Cabinetry", url="https://www.business.example/about-us/"),
    Site("uk cafe, address on one line with commas",
         '<footer class="site-footer"><p>The Wren Cafe, 3 Bridge Street, Hebden Bridge, West '
         'Yorkshire, HX7 8EX</p><p>Open Wed &ndash; Sun, 9am &ndash; 4pm</p><p>&copy; 2025 The'
         ' Wren Cafe</p></footer>',
         "3 Bridge Street, Hebden Bridge, West Yorkshire HX7 8EX", town="Hebden Bridge",
         holder="The Wren Cafe"),
    Site("uk trades firm, registered office different from the yard",
         '<div class="contact"><h3>Yard</h3><p>Unit 9, Westfield Industrial Estate<br>'
         'Midsomer Norton<br>Radstock<br>BA3 4BH</p></div><footer><p>Avon Roofing &amp; '
         'Building Ltd. Registered in England &amp; Wales No. 07654321. Registered office: '
         'Ground Floor, 2 Queen Square, Bath, BA1 2HN.</p></footer>',
         "Ground Floor, 2 Queen Square, Bath, BA1 2HN", town="Bath"),
    Site("uk garage: the town and the county on lines of their own",
         '<div class="elementor-widget-text-editor"><h4>Find the workshop</h4><p>Unit 9, '
         'Westfield Industrial Estate<br>Radstock<br>Somerset<br>BA3 4BH</p><p>Mon&ndash;Fri '
         '8am&ndash;5:30pm</p></div><footer><p>&copy; 2025 Mendip Motor Works Ltd</p></footer>',
         "Unit 9, Westfield Industrial Estate, Radstock, Somerset BA3 4BH", town="Radstock",
         holder="Mendip Motor Works Ltd"),
    Site("uk florist: the county before the postcode on its line",
         '<footer class="site-footer"><div class="footer-address"><p>The Flower Loft<br>'
         '5 Church Street<br>Ludlow<br>Shropshire SY8 1AP</p></div><p>&copy; 2025 The Flower '
         'Loft</p></footer>',
         "5 Church Street, Ludlow, Shropshire SY8 1AP", town="Ludlow", holder="The Flower Loft"),
    Site("hours table right under the address",
         '<div class="et_pb_text_inner"><h3>Location</h3><p>4821 Tamiami Trl N<br>Naples, FL '
         '34103</p><table><tr><td>Monday</td><td>9:00 AM &ndash; 5:00 PM</td></tr><tr><td>'
         'Saturday</td><td>Closed</td></tr></table></div><div id="footer-info">&copy; 2025 '
         'Gulfshore Hearing Center</div>',
         "4821 Tamiami Trl N, Naples, FL 34103", holder="Gulfshore Hearing Center"),
    Site("a #suite and the person answering the phones",
         '<div class="contact-card"><p><strong>Questions? Ask for Brenda Kowalczyk</strong>'
         '</p><p>2201 Lakeshore Dr #310<br>Muskegon, MI 49441</p><p>231-555-0177</p></div>'
         '<footer><p>&copy; 2025 Lakeshore Title Company</p></footer>',
         "2201 Lakeshore Dr #310, Muskegon, MI 49441", holder="Lakeshore Title Company"),
    Site("a 'Send payments to' line after the office",
         '<div class="wpb_text_column"><p>Office: 75 Court St, Plymouth, MA 02360</p>'
         '<p>Send payments to: Pilgrim Septic Service, PO Box 1604, Plymouth, MA 02362</p>'
         '</div><footer>&copy; 2025 Pilgrim Septic Service</footer>',
         "PO Box 1604, Plymouth, MA 02362", holder="Pilgrim Septic Service"),
    Site("a service area with a ZIP is no address",
         '<section class="hero"><h1>Reliable Handyman Services</h1><p>Serving Springfield, IL '
         '62704 and the surrounding communities since 1998.</p><p>Call <a href="tel:2175550148">'
         '(217) 555-0148</a> for a free estimate.</p></section><footer><p>&copy; 2025 Prairie '
         'Fixit Handyman</p></footer>',
         "", holder="Prairie Fixit Handyman"),
    Site("the address as a map link's text, a doctor's name above it",
         '<div class="office-info"><p class="doctor">Dr. Anika Brandvold</p><p><a href="https://'
         'www.google.com/maps/place/1420+Cedar+Ave" target="_blank" rel="noopener">' + _FA.format(
             "location-dot") + ' 1420 Cedar Ave, Ste. 110<br>Bellingham, WA 98225</a></p><p><a '
         'href="https://www.google.com/maps/dir/?api=1&amp;destination=Cedar+Ave+Dental">Get '
         'Directions</a></p></div><footer>&copy; 2025 Cedar Avenue Dental</footer>',
         "1420 Cedar Ave, Ste. 110, Bellingham, WA 98225", holder="Cedar Avenue Dental"),
    Site("a Yoast LocalBusiness shop and a mailing PO box in the text",
         '<div class="wp-block-columns"><div class="wp-block-column"><h4>Showroom</h4><p>600 '
         'Riverside Dr<br>Bangor, ME 04401</p></div><div class="wp-block-column"><h4>Mailing '
         'Address</h4><p>PO Box 1290<br>Bangor, ME 04402</p></div></div><footer>&copy; 2025 '
         'Penobscot Stove &amp; Chimney</footer>',
         "PO Box 1290, Bangor, ME 04402", site_name="Penobscot Stove & Chimney",
         holder="Penobscot Stove & Chimney",
         head=_ld('{"@context":"https://schema.org","@type":"HomeAndConstructionBusiness",'
                  '"name":"Penobscot Stove & Chimney","address":{"@type":"PostalAddress",'
                  '"streetAddress":"600 Riverside Dr","addressLocality":"Bangor",'
                  '"addressRegion":"ME","postalCode":"04401"}}')),
    Site("a floor before the street, USA after the ZIP",
         '<footer class="footer"><p>Floor 2, 88 Main St, Brattleboro, VT 05301 USA</p><p>Mon'
         '&ndash;Fri 9am&ndash;5pm &middot; 802-555-0166</p><p>&copy; 2025 Green Mountain '
         'Translation Services</p></footer>',
         "Floor 2, 88 Main St, Brattleboro, VT 05301, USA",
         holder="Green Mountain Translation Services"),
    Site("open seven days above the street, in a Wix column",
         '<div id="comp-contact" class="wixui-column-strip"><div data-testid="richTextElement">'
         '<p class="font_8"><span>OPEN 7 DAYS</span></p><p class="font_8"><span>6am - 2pm</span>'
         '</p><p class="font_8"><span>214 Ocean Ave</span></p><p class="font_8"><span>Cape May, '
         'NJ 08204</span></p></div></div><div id="SITE_FOOTER"><p class="font_9">&copy; 2025 '
         'by Sandpiper Breakfast Shack</p></div>',
         "214 Ocean Ave, Cape May, NJ 08204", site_name="Sandpiper Breakfast Shack",
         holder="Sandpiper Breakfast Shack", head=_og("Sandpiper Breakfast Shack")),
    Site("law firm, two offices and no label: the footer names one",
         '<section class="locations"><div><h3>Santa Fe</h3><p>150 Washington Ave, Suite 204<br>'
         'Santa Fe, NM 87501</p></div><div><h3>Albuquerque</h3><p>6565 Americas Pkwy NE, Suite '
         '200<br>Albuquerque, NM 87110</p></div></section><footer class="site-footer"><p>'
         'Quintana Reyes Law, P.C. &middot; 150 Washington Ave, Suite 204 &middot; Santa Fe, NM '
         '87501</p><p>&copy; 2025 Quintana Reyes Law, P.C.</p></footer>',
         "150 Washington Ave, Suite 204, Santa Fe, NM 87501",
         holder="Quintana Reyes Law, P.C"),
    Site("an event venue in the news beside the footer's address",
         '<article class="post"><h2>Join us at the Home Show!</h2><p>Find our booth at the '
         'Fairgrounds, 1200 Fair Ave, Yakima, WA 98901, March 8&ndash;10.</p></article>'
         '<footer class="site-footer"><p>Cascade Window &amp; Door<br>402 S 1st St<br>'
         'Yakima, WA 98901</p><p>&copy; 2025 Cascade Window &amp; Door</p></footer>',
         "402 S 1st St, Yakima, WA 98901", holder="Cascade Window & Door"),
]
# fmt: on


def _read(site: Site) -> tuple[str, str, str, str]:
    html = f"<!DOCTYPE html><html><head>{site.head}</head><body>{site.body}</body></html>"
    page = read_page(html, site.url)
    chosen = page.preferred_address
    town = chosen.city if chosen and site.town else ""
    return (chosen.one_line() if chosen else "", town, page.site_name, page.copyright)


@pytest.mark.parametrize("site", [pytest.param(s, id=s.id) for s in SITES])
def test_a_builder_page_is_read_as_a_careful_reader_reads_it(site: Site) -> None:
    assert _read(site) == (site.address, site.town, site.site_name, site.holder)
